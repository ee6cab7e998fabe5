/**
 * Faults for the gate in front of moto (startGate): for one AWS action at a time, a 5xx, throttling
 * or an expired token, in each service's own error format, so the SDK classifies them as it would
 * AWS's answers (retryable server error, throttling, non-retryable auth error).
 *
 *   const fault = injectFault(gate, 'TerminateInstances', 'throttle');
 *   ... bake ...
 *   fault.hits();   // how many calls got the fault
 *   fault.undo();
 *
 * Only the product's own signed calls are matched: the instance's presigned PUTs and GETs pass.
 */
import { basename } from 'node:path';
import type { Call, Gate, Reply } from './moto.js';

export const FAULTS = ['5xx', 'throttle', 'expired-forever', 'expired-once'] as const;
export type Fault = (typeof FAULTS)[number] | 'hang';

type Service = 'ec2' | 's3' | 'json';

function serviceOf(call: Call): Service {
  if (call.action.startsWith('S3:')) return 's3';
  return /(?:^|&)Action=/.test(call.body) ? 'ec2' : 'json';
}

/**
 * The matrix's name of a call: the EC2 action, the JSON operation, or `S3:<METHOD> <object
 * name>` (the staging keys carry the bake's token: only their last part is stable). Undefined
 * for calls the product does not sign itself.
 */
export function faultKey(call: Call): string | undefined {
  if (!call.signed) return undefined;
  if (!call.action.startsWith('S3:')) return call.action;
  const [method, path] = call.action.slice(3).split(' ');
  return `S3:${method} ${(basename(path) || '/').replace(/[0-9a-f]{16}/, 'TOKEN')}`;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function faultReply(kind: Exclude<Fault, 'hang'>, service: Service): Reply {
  const [status, code, message] = (
    {
      '5xx': {
        ec2: [500, 'InternalError', 'An internal error has occurred'],
        s3: [500, 'InternalError', 'We encountered an internal error. Please try again.'],
        json: [500, 'InternalServerError', 'An internal error has occurred'],
      },
      throttle: {
        ec2: [503, 'RequestLimitExceeded', 'Request limit exceeded.'],
        s3: [503, 'SlowDown', 'Please reduce your request rate.'],
        json: [400, 'ThrottlingException', 'Rate exceeded'],
      },
      'expired-forever': {
        ec2: [400, 'RequestExpired', 'Request has expired.'],
        s3: [400, 'ExpiredToken', 'The provided token has expired.'],
        json: [400, 'ExpiredTokenException', 'The security token included in the request is expired'],
      },
      'expired-once': {
        ec2: [400, 'RequestExpired', 'Request has expired.'],
        s3: [400, 'ExpiredToken', 'The provided token has expired.'],
        json: [400, 'ExpiredTokenException', 'The security token included in the request is expired'],
      },
    } as const
  )[kind][service];
  if (service === 'json')
    return {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: code, message }),
    };
  const body =
    service === 'ec2'
      ? `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>fault</RequestID></Response>`
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message><RequestId>fault</RequestId></Error>`;
  return { status, headers: { 'content-type': 'application/xml' }, body };
}

export interface Injected {
  /** Calls answered with the fault so far. */
  hits(): number;
  /** True once an `expired-forever` fault has fired: every signed call fails from then on. */
  expired(): boolean;
  undo(): void;
}

/**
 * Answers every signed call named `key` (faultKey) with `fault`, persistently. `expired-once`
 * fails the first such call only (a token refreshed meanwhile); `expired-forever` fails that
 * call and, from then on, every signed call of any action (the credentials are gone for good);
 * `hang` never answers.
 */
export function injectFault(gate: Gate, key: string, fault: Fault): Injected {
  let hits = 0;
  let expired = false;
  const undo = gate.intercept((call) => {
    const k = faultKey(call);
    if (k === undefined) return undefined;
    if (expired) {
      hits++;
      return faultReply('expired-forever', serviceOf(call));
    }
    if (k !== key) return undefined;
    if (fault === 'expired-once' && hits > 0) return undefined;
    hits++;
    if (fault === 'hang') return 'hang';
    if (fault === 'expired-forever') expired = true;
    return faultReply(fault, serviceOf(call));
  });
  return { hits: () => hits, expired: () => expired, undo };
}

/** One RunInstances call as the gate saw it (the SDK's own retries of an attempt included). */
export interface LaunchCall {
  instanceType: string;
  subnet?: string;
  clientToken: string;
  /** The code it was refused with; undefined when it went through to moto. */
  refused?: string;
}

/** EC2's HTTP status for each launch refusal a test injects: InsufficientInstanceCapacity is one of
 *  EC2's server error codes (a 500, which the SDK retries itself), the others client errors. */
export const LAUNCH_REFUSALS = {
  InsufficientInstanceCapacity: [
    500,
    'We currently do not have sufficient capacity in the Availability Zone you requested.',
  ],
  Unsupported: [400, 'Your requested instance type is not supported in your requested Availability Zone.'],
  UnauthorizedOperation: [403, 'You are not authorized to perform this operation.'],
  InstanceLimitExceeded: [400, 'You have requested more instances than your current instance limit allows.'],
} as const;

/**
 * Refuses the product's RunInstances calls that `refuse` picks (by instance type, subnet and
 * client token) with `code`, in EC2's own error format; the others reach moto. Every call is
 * recorded in order, with the state `onCall` reads at that moment (the test checks what was saved
 * before the call).
 */
export function refuseLaunches(
  gate: Gate,
  refuse: (call: LaunchCall) => keyof typeof LAUNCH_REFUSALS | undefined,
  onCall?: (call: LaunchCall) => void,
): { calls: LaunchCall[]; undo(): void } {
  const calls: LaunchCall[] = [];
  const undo = gate.intercept((call) => {
    if (!call.signed || call.action !== 'RunInstances') return undefined;
    const params = new URLSearchParams(call.body);
    const launch: LaunchCall = {
      instanceType: params.get('InstanceType') ?? '',
      subnet: params.get('SubnetId') ?? undefined,
      clientToken: params.get('ClientToken') ?? '',
    };
    const code = refuse(launch);
    launch.refused = code;
    calls.push(launch);
    onCall?.(launch);
    if (!code) return undefined;
    const [status, message] = LAUNCH_REFUSALS[code];
    return {
      status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>fault</RequestID></Response>`,
    };
  });
  return { calls, undo };
}
