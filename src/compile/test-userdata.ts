/**
 * The image test's user data (userdata-test.gz): script/test.sh and the test runner
 * (guest/amibake-test.sh) for an instance launched from the new AMI. One cloud-config part writes
 * both to tmpfs and runs the runner from power_state's condition, once cloud-init has finished its
 * own modules; the build appends its part (the presigned result and log URLs) as it does for the
 * install. The same form as userdata.gz, so the build reads and checks it the same way.
 */
import { stringify } from 'yaml';
import { BUILD_RESERVE, TEST_RUNNER_PATH, TEST_SH_GUEST_PATH } from '../core/contract.js';
import { UserError } from '../core/errors.js';
import { gzipUserdata, renderMultipart, USERDATA_LIMIT, USERDATA_TEXT_LIMIT } from '../core/userdata.js';
import runner from './guest/amibake-test.sh';

export { TEST_SH } from './layout.js';
export const TEST_USERDATA_FILE = 'userdata-test.gz';
/** The part's name: the build's part (amibake-stage.cfg) sorts after it. */
export const TEST_PART = '50_amibake-test.cfg';
/** Bytes of gzip'd user data prepare may use for the test; the rest is the build's part. */
export const TEST_USERDATA_BUDGET = USERDATA_LIMIT - BUILD_RESERVE;

/** The runner as it travels: comment lines and blank lines cost user data bytes. */
export function testRunnerScript(): string {
  const body = runner.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  return ['#!/bin/sh', ...body].join('\n') + '\n';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** test.sh's text, or the problem with it (named by `where`): it travels inline as YAML text. */
export function checkTestScript(bytes: Buffer, where: string): { text?: string; problem?: string } {
  if (bytes.length === 0)
    return {
      problem: `${where}: empty (write the checks it should run, or remove it to bake without a test)`,
    };
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { problem: `${where}: not valid UTF-8 text (it travels inline in the test user data)` };
  }
  if (text.includes('\0')) return { problem: `${where}: holds a NUL byte; a shell script never does` };
  return { text };
}

/** The cloud-config of the test's one part. */
export function testPart(testSh: string): string {
  const doc = {
    write_files: [
      { path: TEST_RUNNER_PATH, permissions: '0700', content: testRunnerScript() },
      { path: TEST_SH_GUEST_PATH, permissions: '0700', content: testSh },
    ],
    power_state: {
      mode: 'poweroff',
      delay: 'now',
      message: 'amibake: image test finished, powering off',
      // Seconds cloud-init's final stage may take to exit before the condition runs anyway.
      timeout: 600,
      condition: `/bin/sh ${TEST_RUNNER_PATH}; exit 0`,
    },
  };
  return (
    '#cloud-config\n# amibake: the image test (script/test.sh), run once cloud-init has finished\n' +
    stringify(doc, { lineWidth: 0, version: '1.1' })
  );
}

/** userdata-test.gz for test.sh's text, held to the budget; errors name the script by `where`. */
export function renderTestUserdata(testSh: string, where: string): Buffer {
  const text = renderMultipart([{ filename: TEST_PART, content: testPart(testSh) }]);
  if (Buffer.byteLength(text) > USERDATA_TEXT_LIMIT)
    throw new UserError(
      `${where}: the test user data is ${Buffer.byteLength(text)} bytes before gzip, more than the ` +
        `${USERDATA_TEXT_LIMIT} the build accepts. Keep test.sh small: put larger test tools in fs/ and call them from it`,
    );
  const gz = gzipUserdata(text);
  if (gz.length > TEST_USERDATA_BUDGET)
    throw new UserError(
      `${where}: the test user data is ${gz.length} bytes gzip'd, more than the ${TEST_USERDATA_BUDGET} prepare ` +
        `may use (${USERDATA_LIMIT} minus ${BUILD_RESERVE} for the build stage). Keep test.sh small: put ` +
        'larger test tools in fs/ and call them from it',
    );
  return gz;
}
