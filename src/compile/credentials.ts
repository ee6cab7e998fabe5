/** The prepare job should hold no cloud credentials (the spec's separation of stages): warn when it
 *  does, and never hand them to compile.sh. */

import { statSync } from 'node:fs';
import { join } from 'node:path';

/** Variables that carry AWS credentials or let a process obtain them. */
const CREDENTIAL_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];
/** A GitHub job with `permissions: id-token: write` can mint OIDC credentials. */
const OIDC_VARS = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'];

/** Shared credentials files the SDKs and the CLI would read (the variable's, else ~/.aws's). */
function credentialFiles(env: NodeJS.ProcessEnv): string[] {
  const files = [env.AWS_SHARED_CREDENTIALS_FILE, env.HOME && join(env.HOME, '.aws', 'credentials')];
  return [...new Set(files.filter((f): f is string => Boolean(f) && f !== '/dev/null' && isFile(f!)))];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function credentialsPresent(env: NodeJS.ProcessEnv): string[] {
  return [...CREDENTIAL_VARS, ...OIDC_VARS.slice(0, 1)].filter((k) => env[k]);
}

export function credentialWarning(env: NodeJS.ProcessEnv): string | undefined {
  const found = [
    ...credentialsPresent(env).map((k) => (OIDC_VARS.includes(k) ? `${k} (id-token: write)` : k)),
    ...credentialFiles(env),
  ];
  if (!found.length) return undefined;
  const what = found.join(', ');
  return (
    `the prepare environment holds cloud credentials (${what}). Prepare needs none: run it in a job ` +
    `without AWS credentials or id-token permission and keep them for the build job. compile.sh does not get them.`
  );
}

/** The environment compile.sh runs with: the caller's, less anything that grants AWS access; the
 *  SDKs and the CLI are also kept from shared credential files and the instance metadata service. */
export function scrubbedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('AWS_') || OIDC_VARS.includes(k) || k === 'ACTIONS_RUNTIME_TOKEN') continue;
    out[k] = v;
  }
  out.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  out.AWS_CONFIG_FILE = '/dev/null';
  out.AWS_EC2_METADATA_DISABLED = 'true';
  return out;
}
