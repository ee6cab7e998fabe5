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

  test.each([
    ['InvalidAMIID.NotFound', 'image'],
    ['InvalidAMIID.Unavailable', 'image'],
    ['InvalidSnapshot.NotFound', 'snapshot'],
    ['InvalidInstanceID.NotFound', 'instance'],
    ['NoSuchKey', 'object'],
    ['InvalidSubnetID.NotFound', 'subnet'],
    ['InvalidGroup.NotFound', 'securityGroup'],
    ['InvalidGroupId.Malformed', 'securityGroup'],
    ['InvalidKeyPair.NotFound', 'keyPair'],
    ['ParameterNotFound', 'parameter'],
    ['ParameterVersionNotFound', 'parameter'],
  ] satisfies [string, Parameters<typeof isNotFound>[1]][])('%s is a %s not found', (code, what) => {
    expect(isNotFound(awsError(code, 400), what)).toBe(true);
  });

  test('not found is per resource, and by code only', () => {
    // Another resource's not-found, a malformed id where that is not absence, or a message that
    // merely mentions one, is not.
    expect(isNotFound(awsError('InvalidSnapshot.NotFound', 400), 'image')).toBe(false);
    expect(isNotFound(awsError('InvalidSubnetID.Malformed', 400), 'subnet')).toBe(false);
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
