/** The one AWS error classifier: codes, not-found per resource, refusals and throttling. */
import { describe, expect, test } from '@jest/globals';
import {
  errorCode,
  isAccessDenied,
  isDryRunAllowed,
  isNotFound,
  isThrottling,
  refusedByAws,
} from '../../src/aws/errors.js';

const awsError = (name: string, status?: number) =>
  Object.assign(new Error(`${name} happened`), {
    name,
    ...(status !== undefined && { $metadata: { httpStatusCode: status } }),
  });

describe('AWS error codes', () => {
  test('the code comes from Code, then name, then code', () => {
    expect(errorCode(Object.assign(new Error('x'), { Code: 'DryRunOperation', name: 'Other' }))).toBe(
      'DryRunOperation',
    );
    expect(errorCode(awsError('InvalidAMIID.NotFound'))).toBe('InvalidAMIID.NotFound');
    expect(errorCode({ code: 'ECONNRESET' })).toBe('ECONNRESET');
    expect(errorCode(undefined)).toBe('');
  });

  test('not found, per resource', () => {
    expect(isNotFound(awsError('InvalidAMIID.NotFound', 400), 'image')).toBe(true);
    expect(isNotFound(awsError('InvalidAMIID.Unavailable', 400), 'image')).toBe(true);
    expect(isNotFound(awsError('InvalidSnapshot.NotFound', 400), 'snapshot')).toBe(true);
    expect(isNotFound(awsError('InvalidInstanceID.NotFound', 400), 'instance')).toBe(true);
    expect(isNotFound(awsError('NoSuchKey', 404), 'object')).toBe(true);
    expect(isNotFound(awsError('InvalidSubnetID.NotFound', 400), 'subnet')).toBe(true);
    expect(isNotFound(awsError('InvalidGroup.NotFound', 400), 'securityGroup')).toBe(true);
    expect(isNotFound(awsError('InvalidGroupId.Malformed', 400), 'securityGroup')).toBe(true);
    expect(isNotFound(awsError('InvalidKeyPair.NotFound', 400), 'keyPair')).toBe(true);
    expect(isNotFound(awsError('ParameterNotFound', 400), 'parameter')).toBe(true);
    expect(isNotFound(awsError('ParameterVersionNotFound', 400), 'parameter')).toBe(true);
    expect(isNotFound(awsError('InvalidSubnetID.Malformed', 400), 'subnet')).toBe(false);
    // Another resource's not-found, or a message that merely mentions one, is not.
    expect(isNotFound(awsError('InvalidSnapshot.NotFound', 400), 'image')).toBe(false);
    expect(isNotFound(new Error('InvalidAMIID.NotFound'), 'image')).toBe(false);
    expect(isNotFound(awsError('UnauthorizedOperation', 403), 'instance')).toBe(false);
  });

  test('access denied and a DryRun that would pass', () => {
    for (const name of ['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException'])
      expect(isAccessDenied(awsError(name, 403))).toBe(true);
    expect(isAccessDenied(awsError('InvalidParameterValue', 400))).toBe(false);
    expect(isDryRunAllowed(awsError('DryRunOperation', 412))).toBe(true);
    expect(isDryRunAllowed(awsError('UnauthorizedOperation', 403))).toBe(false);
  });

  test('a refusal is a 4xx answer that is not throttling', () => {
    expect(refusedByAws(awsError('InvalidParameterValue', 400))).toBe(true);
    expect(refusedByAws(awsError('UnauthorizedOperation', 403))).toBe(true);
    expect(refusedByAws(awsError('RequestLimitExceeded', 400))).toBe(false);
    expect(refusedByAws(awsError('TooManyRequests', 429))).toBe(false);
    expect(refusedByAws(awsError('InternalError', 500))).toBe(false);
    // No answer at all (a lost connection): AWS may have done the work.
    expect(refusedByAws(awsError('TimeoutError'))).toBe(false);
  });

  test('throttling, by code or by status 429', () => {
    for (const name of ['RequestLimitExceeded', 'Throttling', 'ThrottlingException', 'SlowDown'])
      expect(isThrottling(awsError(name, 400))).toBe(true);
    expect(isThrottling(awsError('Whatever', 429))).toBe(true);
    expect(isThrottling(awsError('InvalidParameterValue', 400))).toBe(false);
  });
});
