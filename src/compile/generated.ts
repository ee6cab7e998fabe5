/**
 * The cloud-config files prepare generates for the spec's events: FS download (50), FS extract and
 * install.sh (51), log copy (98), shutdown (99). They all drive the guest script (guest/amibake.sh).
 */
import { stringify } from 'yaml';
import { FS_STAGE_PATH, GUEST_SCRIPT_PATH, PREPARED_ENV, PREPARED_VARS } from '../core/contract.js';
import { formatEnv } from '../core/envfile.js';
import type { Part } from '../core/userdata.js';
import script from './guest/amibake.sh';

/** The guest script and the staged fs.tgz on the instance: the contract's paths (core/contract.ts). */
export const GUEST_SCRIPT = GUEST_SCRIPT_PATH;
export const FS_STAGE = FS_STAGE_PATH;

export const GENERATED = {
  fetch: '50_amibake-fetch.cfg',
  install: '51_amibake-install.cfg',
  log: '98_amibake-log.cfg',
  shutdown: '99_amibake-shutdown.cfg',
} as const;
export const GENERATED_NAMES: readonly string[] = Object.values(GENERATED);

export type FsMode = 'inline' | 'external' | 'none';

/** The guest script as it travels: comment lines and blank lines cost user data bytes. */
export function guestScript(): string {
  const body = script.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  return ['#!/bin/sh', ...body].join('\n') + '\n';
}

export interface GeneratedInput {
  fsMode: FsMode;
  fsSha256?: string;
  fsSize?: number;
  s3Url?: string;
  region: string;
  /** fs.tgz itself when it travels inline. */
  inlineFs?: Buffer;
}

function render(comment: string, config: unknown): string {
  return `#cloud-config\n# ${comment}\n${stringify(config, { lineWidth: 0 })}`;
}

const step = (name: string) => ['/bin/sh', GUEST_SCRIPT, name];

export function preparedEnv(input: GeneratedInput): string {
  const vars: Record<string, string> = {
    [PREPARED_VARS.fsMode]: input.fsMode,
    [PREPARED_VARS.region]: input.region,
  };
  if (input.fsSha256) vars[PREPARED_VARS.fsSha256] = input.fsSha256;
  if (input.fsSize !== undefined) vars[PREPARED_VARS.fsSize] = String(input.fsSize);
  if (input.s3Url) vars[PREPARED_VARS.s3Url] = input.s3Url;
  return formatEnv(vars);
}

export function generatedParts(input: GeneratedInput): Part[] {
  const writeFiles: Record<string, unknown>[] = [
    { path: GUEST_SCRIPT, permissions: '0700', content: guestScript() },
    { path: PREPARED_ENV, permissions: '0600', content: preparedEnv(input) },
  ];
  if (input.fsMode === 'inline') {
    if (!input.inlineFs) throw new Error('inline fs mode without fs.tgz');
    writeFiles.push({
      path: FS_STAGE,
      permissions: '0600',
      encoding: 'b64',
      content: input.inlineFs.toString('base64'),
    });
  }
  return [
    {
      filename: GENERATED.fetch,
      content: render('amibake: FS download (priority 50)', {
        write_files: writeFiles,
        runcmd: [step('fetch')],
      }),
    },
    {
      filename: GENERATED.install,
      content: render('amibake: FS extract, then install.sh (priority 51)', {
        runcmd: [step('extract'), step('install')],
      }),
    },
    {
      filename: GENERATED.log,
      content: render('amibake: log copy (priority 98); finish uploads the log once cloud-init is done', {
        runcmd: [step('log')],
      }),
    },
    {
      filename: GENERATED.shutdown,
      content: render(
        'amibake: shutdown (priority 99). The condition runs once cloud-init has finished: it reports the install status, sanitises, and always lets the instance power off.',
        {
          power_state: {
            mode: 'poweroff',
            delay: 'now',
            message: 'amibake: install finished, powering off',
            // Seconds cloud-init's final stage may take to exit before the condition runs anyway.
            timeout: 600,
            condition: `/bin/sh ${GUEST_SCRIPT} finish; exit 0`,
          },
        },
      ),
    },
  ];
}
