/**
 * The image test's runner (src/compile/guest/amibake-test.sh, as userdata-test.gz carries it): run
 * with dash against a temporary root, a loopback HTTP server in place of the presigned URLs; and
 * its contract with src/core/contract.ts and the install's guest script, which it cannot import.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guestScript } from '../../src/compile/generated.js';
import { testRunnerScript } from '../../src/compile/test-userdata.js';
import {
  CLOUD_INIT_STATE_DIR,
  CLOUD_INIT_RESULT,
  GUEST_DIR,
  GUEST_STATUS,
  GUEST_TEST_VARS,
  RESULT_LINE_RE,
  RESULT_PREFIX,
  STAGE_ENV,
  STAGE_VARS,
  TEST_LOG_PATH,
  TEST_SH_GUEST_PATH,
  TEST_STATUSES,
} from '../../src/core/contract.js';
import { formatEnv } from '../../src/core/envfile.js';
import { runGuest, startServer, tempDir, writeTree, type TestServer } from './helpers.js';

jest.setTimeout(60_000);

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = testRunnerScript();
const SECRET = 'X-Amz-Signature=feedface0123secret';
const RESULT_OK = JSON.stringify({ v1: { datasource: 'DataSourceEc2', errors: [] } }, null, 1);
const RESULT_ERR = JSON.stringify(
  { v1: { datasource: 'DataSourceEc2', errors: ["('write_files', OSError('disk full'))"] } },
  null,
  1,
);

let server: TestServer;
let runner: string;

beforeAll(async () => {
  server = await startServer();
  runner = join(tempDir('amibake-runner-'), 'amibake-test.sh');
  writeFileSync(runner, SCRIPT, { mode: 0o700 });
});
afterAll(() => server.close());

interface Boot {
  testSh?: string;
  result?: string | null;
  urls?: boolean;
  /** Other instances cloud-init's state holds (an image not sanitised). */
  others?: string[];
}

/** A test instance's root: cloud-init done (or not), its instance records, test.sh, stage.env. */
function testRoot(boot: Boot): string {
  const root = tempDir('amibake-testroot-');
  const tree: Record<string, string | { dir: number }> = {
    'run/amibake': { dir: 0o755 },
    'etc/motd': 'hello from the install\n',
    [`${CLOUD_INIT_STATE_DIR.slice(1)}/data/instance-id`]: 'i-0fresh000000000001\n',
    [`${CLOUD_INIT_STATE_DIR.slice(1)}/instances/i-0fresh000000000001`]: { dir: 0o755 },
  };
  for (const id of boot.others ?? [])
    tree[`${CLOUD_INIT_STATE_DIR.slice(1)}/instances/${id}`] = { dir: 0o755 };
  if (boot.result !== null) tree[CLOUD_INIT_RESULT.slice(1)] = boot.result ?? RESULT_OK;
  if (boot.testSh !== undefined) tree[TEST_SH_GUEST_PATH.slice(1)] = boot.testSh;
  if (boot.urls !== false) {
    const tag = Math.random().toString(36).slice(2);
    tree[STAGE_ENV.slice(1)] = formatEnv({
      [STAGE_VARS.resultUrl]: `${server.base}/${tag}/result?${SECRET}`,
      [STAGE_VARS.logUrl]: `${server.base}/${tag}/log?${SECRET}`,
    });
    tree['tag'] = tag;
  }
  return writeTree(root, tree);
}

async function boot(b: Boot) {
  const root = testRoot(b);
  const run = await runGuest(runner, root, '');
  const tag = b.urls === false ? undefined : readFileSync(join(root, 'tag'), 'utf8');
  const put = (name: string) =>
    server.requests.find((r) => r.method === 'PUT' && r.url.startsWith(`/${tag}/${name}?`))?.body.toString();
  return {
    run,
    root,
    console: readFileSync(join(root, 'console'), 'utf8'),
    log: readFileSync(join(root, TEST_LOG_PATH.slice(1)), 'utf8'),
    result: tag ? put('result') : undefined,
    uploadedLog: tag ? put('log') : undefined,
  };
}

describe('the test runner on a test instance', () => {
  it('passes: test.sh runs as root from / and exits 0; status 0 on the console and through the URLs, with the log', async () => {
    const r = await boot({
      testSh: '#!/bin/sh\necho "pwd $(pwd)"\ngrep hello etc/motd\necho "marker pass-7731"\n',
    });
    expect(r.run.code).toBe(0);
    expect(r.console).toMatch(/^AMIBAKE-RESULT status=0$/m);
    expect(RESULT_LINE_RE.exec(r.console)?.[1]).toBe('0');
    expect(r.result).toBe('status=0\n');
    expect(r.uploadedLog).toBe(r.log);
    expect(r.log).toContain(
      'amibake: test boot: instance i-0fresh000000000001; instances cloud-init knows on this disk: i-0fresh000000000001\n',
    );
    expect(r.log).not.toContain('not the image');
    expect(r.log).toContain(`pwd ${r.root}`);
    expect(r.log).toContain('hello from the install');
    expect(r.log).toContain('marker pass-7731');
    expect(r.log).toMatch(/amibake: test\.sh passed\namibake: test status 0\n/);
    // test.sh's output reaches the console as it runs, too.
    expect(r.console).toContain('marker pass-7731');
    // The presigned URLs are never printed.
    expect(r.log + r.console + r.run.stdout + r.run.stderr).not.toContain(SECRET);
  });

  it('fails: test.sh exits 3; status TEST_FAILED, its output and exit code in the log', async () => {
    const r = await boot({ testSh: '#!/bin/sh\necho "missing /opt/app (marker fail-5120)"\nexit 3\n' });
    expect(r.run.code).toBe(0); // the instance powers off whatever the test says
    expect(r.console).toMatch(new RegExp(`^AMIBAKE-RESULT status=${GUEST_STATUS.TEST_FAILED}$`, 'm'));
    expect(r.result).toBe(`status=${GUEST_STATUS.TEST_FAILED}\n`);
    expect(r.uploadedLog).toContain('missing /opt/app (marker fail-5120)');
    expect(r.uploadedLog).toContain('amibake: test.sh failed (exit 3)');
    expect(r.uploadedLog).toContain(`amibake: test status ${GUEST_STATUS.TEST_FAILED}`);
  });

  it('runs test.sh through the interpreter of its #! line (tmpfs is noexec)', async () => {
    const r = await boot({ testSh: '#!/bin/bash\n[[ -n "$BASH_VERSION" ]] && echo "bash ran it"\n' });
    expect(r.log).toContain('bash ran it');
    expect(r.result).toBe('status=0\n');
  });

  it('reports CLOUDINIT when cloud-init recorded an error, test.sh passing or not (it still runs)', async () => {
    const r = await boot({ testSh: 'echo "ran anyway"\n', result: RESULT_ERR });
    expect(r.result).toBe(`status=${GUEST_STATUS.CLOUDINIT}\n`);
    expect(r.log).toContain('amibake: cloud-init recorded errors:');
    expect(r.log).toContain('disk full');
    expect(r.log).toContain('ran anyway');
    const failing = await boot({ testSh: 'exit 4\n', result: RESULT_ERR });
    expect(failing.result).toBe(`status=${GUEST_STATUS.CLOUDINIT}\n`);
  });

  it('reports CLOUDINIT when cloud-init recorded no result', async () => {
    const r = await boot({ testSh: 'true\n', result: null });
    expect(r.console).toMatch(/^AMIBAKE-RESULT status=1$/m);
    expect(r.log).toContain('amibake: cloud-init recorded no result');
  });

  it('reports TEST_FAILED when test.sh is missing', async () => {
    const r = await boot({});
    expect(r.result).toBe(`status=${GUEST_STATUS.TEST_FAILED}\n`);
    expect(r.log).toContain('amibake: test.sh is missing');
  });

  it('names the other instances when the image was not sanitised (not a first boot)', async () => {
    const r = await boot({ testSh: 'true\n', others: ['i-0bake00000000000002'] });
    expect(r.log).toContain(
      'instances cloud-init knows on this disk: i-0bake00000000000002 i-0fresh000000000001\n' +
        "amibake: not the image's first boot: cloud-init kept the state of another instance\n",
    );
  });

  it('without URLs: the console line alone', async () => {
    const r = await boot({ testSh: 'exit 1\n', urls: false });
    expect(r.console).toMatch(/^AMIBAKE-RESULT status=8$/m);
    expect(r.log).toContain('amibake: test status 8');
  });
});

describe('the test runner and src/core/contract.ts', () => {
  const lines = SCRIPT.split('\n');
  const functions = [...SCRIPT.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)\(\) \{/gm)].map((m) => m[1]);

  it('is POSIX sh that shellcheck accepts', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', join(ROOT, 'src/compile/guest/amibake-test.sh')], {
      encoding: 'utf8',
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('names no function like a command or a shell builtin', () => {
    expect(functions).toEqual(expect.arrayContaining(['say_line', 'http_transfer', 'test_main']));
    expect(functions.filter((n) => !n.includes('_'))).toEqual([]);
    const found = execFileSync(
      'sh',
      ['-c', 'for n in "$@"; do command -v "$n"; done; exit 0', 'sh', ...functions],
      {
        encoding: 'utf8',
      },
    );
    expect(found.trim()).toBe('');
  });

  it('uses the contract’s paths', () => {
    const paths: Record<string, string> = {};
    for (const line of lines) {
      const m = /^([A-Z_]+)=\$R(\/\S+)$/.exec(line);
      if (m) paths[m[1]] = m[2];
    }
    expect(paths).toEqual({
      D: GUEST_DIR,
      TEST: TEST_SH_GUEST_PATH,
      LOG: TEST_LOG_PATH,
      RESULT_JSON: CLOUD_INIT_RESULT,
      CLOUD: CLOUD_INIT_STATE_DIR,
    });
    expect(SCRIPT).toContain('. "$D/stage.env"');
    expect(`${GUEST_DIR}/stage.env`).toBe(STAGE_ENV);
  });

  it('reads only the result and log URLs of STAGE_VARS and the test variables', () => {
    const used = new Set([...SCRIPT.matchAll(/\bAMIBAKE_[A-Z0-9_]+/g)].map((m) => m[0]));
    expect([...used].sort()).toEqual(
      [
        STAGE_VARS.resultUrl,
        STAGE_VARS.logUrl,
        GUEST_TEST_VARS.root,
        GUEST_TEST_VARS.console,
        GUEST_TEST_VARS.resultWait,
        'AMIBAKE_URL', // http_transfer's hand-over to python3
      ].sort(),
    );
  });

  it('declares and reports exactly the statuses of TEST_STATUSES', () => {
    const line = lines.find((l) => /^OK=\d+ /.test(l));
    const codes = Object.fromEntries(line!.split(' ').map((a) => [a.split('=')[0], Number(a.split('=')[1])]));
    expect(codes).toEqual(Object.fromEntries(TEST_STATUSES.map((n) => [n, GUEST_STATUS[n]])));
    const reported = new Set([
      ...[...SCRIPT.matchAll(/\bstatus=\$([A-Z_]+)/g)].map((m) => m[1]),
      ...[...SCRIPT.matchAll(/\breturn \$([A-Z_]+)/g)].map((m) => m[1]),
    ]);
    expect([...reported].sort()).toEqual([...TEST_STATUSES].sort());
  });

  it('prints the result line that RESULT_LINE_RE reads', () => {
    const m = /^\s*line="([^"$]*)\$status"$/m.exec(SCRIPT);
    expect(m?.[1]).toBe(RESULT_PREFIX);
  });

  it('transfers exactly as the install’s guest script does (the same curl_config, options and http_transfer)', () => {
    const install = guestScript();
    const slice = (text: string, start: RegExp) => {
      const all = text.split('\n');
      const i = all.findIndex((l) => start.test(l));
      expect(i).toBeGreaterThanOrEqual(0);
      if (!all[i].endsWith('{')) return all[i]; // a one-line function or an assignment
      const end = all.findIndex((l, j) => j > i && l === '}');
      return all.slice(i, end + 1).join('\n');
    };
    for (const start of [/^curl_config\(\)/, /^CURL_OPTS=/, /^http_transfer\(\) \{$/]) {
      const ours = slice(SCRIPT, start);
      expect(ours.length).toBeGreaterThan(20);
      expect(ours).toBe(slice(install, start));
    }
  });
});
