/**
 * The one place that classifies AWS errors (after Packer's awserrors/utils.go): every module asks
 * here whether an error means "not found", "refused" or "throttled" instead of testing a message
 * or an error name of its own.
 */

/** The AWS error code of an SDK error ('DryRunOperation', 'InvalidAMIID.NotFound', ...). */
export function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string };
  return e?.Code ?? e?.name ?? e?.code ?? '';
}

/** The HTTP status of AWS's answer; undefined when no answer came (a lost connection). */
export function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** Whether `err` carries one of these codes; a code ending in `.` matches a family
 *  (`InvalidAMIID.` is InvalidAMIID.NotFound, .Malformed, .Unavailable). */
function isCode(err: unknown, ...codes: string[]): boolean {
  const code = errorCode(err);
  return codes.some((c) => (c.endsWith('.') ? code.startsWith(c) : code === c));
}

/** What "does not exist (any more)" looks like for each resource amibake handles. */
const NOT_FOUND = {
  // Malformed and Unavailable ids are as absent as unknown ones for a lookup.
  image: ['InvalidAMIID.'],
  snapshot: ['InvalidSnapshot.NotFound'],
  instance: ['InvalidInstanceID.NotFound'],
  object: ['NoSuchKey'],
  subnet: ['InvalidSubnetID.NotFound'],
  // A malformed group id is refused like an unknown one: the dry run names it as missing.
  securityGroup: ['InvalidGroup.NotFound', 'InvalidGroupId.NotFound', 'InvalidGroupId.Malformed'],
  keyPair: ['InvalidKeyPair.NotFound'],
  parameter: ['ParameterNotFound', 'ParameterVersionNotFound'],
  // AWS spells the two families differently (.NotFound vs .NotFoundException).
  launchTemplate: [
    'InvalidLaunchTemplateId.NotFound',
    'InvalidLaunchTemplateId.Malformed',
    'InvalidLaunchTemplateName.NotFoundException',
    'InvalidLaunchTemplateName.MalformedException',
  ],
} satisfies Record<string, string[]>;

export function isNotFound(err: unknown, what: keyof typeof NOT_FOUND): boolean {
  return isCode(err, ...NOT_FOUND[what]);
}

/** The caller's role may not make the call (EC2, IAM-style and JSON-protocol services' codes). */
export function isAccessDenied(err: unknown): boolean {
  return isCode(err, 'UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException');
}

/** A `DryRun` call that would have succeeded: EC2 answers it with this error. */
export function isDryRunAllowed(err: unknown): boolean {
  return isCode(err, 'DryRunOperation');
}

const THROTTLING = [
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'SlowDown',
  'TooManyRequestsException',
];

export function isThrottling(err: unknown): boolean {
  return isCode(err, ...THROTTLING) || httpStatus(err) === 429;
}

/** AWS answered and refused the call (a 4xx that is not throttling): it was not carried out. Any
 *  other failure (5xx, throttling, a lost connection) may have come after AWS did the work. */
export function refusedByAws(err: unknown): boolean {
  const status = httpStatus(err);
  return status !== undefined && status >= 400 && status < 500 && !isThrottling(err);
}
