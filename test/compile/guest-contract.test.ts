/**
 * The guest script (src/compile/guest/amibake.sh) repeats what src/core/contract.ts declares: the paths
 * under /run/amibake, the AMIBAKE_* variables prepare and build write, the step names the user data
 * runs, the result line and the install status codes. The script is shell and cannot import them, so
 * this test reads the script as the user data carries it and compares, both ways.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  CLOUD_INIT_RESULT,
  FS_DISK_STAGE_PATH,
  FS_STAGE_PATH,
  GUEST_DIR,
  GUEST_FINISH,
  GUEST_SBOM_FILE,
  GUEST_SCRIPT_PATH,
  GUEST_STATUS,
  GUEST_STEPS,
  GUEST_STEPS_FILE,
  GUEST_TEST_VARS,
  INSTALL_SH_GUEST_PATH,
  INSTALL_STATUSES,
  NO_SANITIZE_FILE,
  PREPARED_ENV,
  PREPARED_VARS,
  RESULT_LINE_RE,
  RESULT_PREFIX,
  SBOM_CONTENT_TYPE,
  STAGE_ENV,
  STAGE_VARS,
} from '../../src/core/contract.js';
import { FS_STAGE, GUEST_SCRIPT, generatedParts, guestScript } from '../../src/compile/generated.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The script as it travels: comment lines are gone, so that a comment cannot satisfy a check. */
const SCRIPT = guestScript();
const LINES = SCRIPT.split('\n');

/** `NAME() {` at the start of a line. */
const functions = (): string[] => [...SCRIPT.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)\(\) \{/gm)].map((m) => m[1]);

/** `VAR=$R/abs/path` and `VAR=$D/name`, resolved to paths on the instance ($R is the root). */
function assignedPaths(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of LINES) {
    const m = /^([A-Z_]+)=\$([RD])(\/\S+)$/.exec(line);
    if (!m) continue;
    vars[m[1]] = m[2] === 'R' ? m[3] : `${vars.D}${m[3]}`;
  }
  return vars;
}

/** Every `$D/NAME` the script uses, as a path on the instance (quoted or not, $D as the script sets it). */
function guestDirPaths(): Set<string> {
  const d = assignedPaths().D;
  return new Set([...SCRIPT.matchAll(/\$D\/([A-Za-z0-9._-]+)/g)].map((m) => `${d}/${m[1]}`));
}

/** The guest's scratch files: written and read by the script alone, named nowhere else. */
const GUEST_PRIVATE_FILES = [
  'install.log',
  'install.log.sent',
  'result',
  'keys',
  'authorized_keys',
  'packages',
  'dpkg',
];
/** AMIBAKE_URL hands a presigned URL to python3 through its environment (never argv): internal to http_transfer. */
const GUEST_PRIVATE_VARS = ['AMIBAKE_URL'];

/** The status table of the stage contract, wherever the docs keep it (README.md or docs/*.md). */
function docsStatusTable(): Map<number, string> {
  const docsDir = join(ROOT, 'docs');
  const files = [
    join(ROOT, 'README.md'),
    ...(existsSync(docsDir) ? readdirSync(docsDir, { recursive: true, encoding: 'utf8' }) : [])
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(docsDir, f)),
  ];
  const tables = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('| Status | Meaning |');
    if (at < 0) return [];
    const table = new Map<number, string>();
    for (const row of text.slice(at).split('\n').slice(2)) {
      const m = /^\| (\d+) \| (.*) \|$/.exec(row);
      if (!m) break;
      table.set(Number(m[1]), m[2]);
    }
    return [table];
  });
  expect(tables).toHaveLength(1); // one table, not two that can drift apart
  return tables[0];
}

describe('the guest script and src/core/contract.ts', () => {
  it('is POSIX sh that shellcheck accepts', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', join(ROOT, 'src/compile/guest/amibake.sh')], {
      encoding: 'utf8',
    });
    expect(r.error).toBeUndefined(); // shellcheck is installed (scripts/setup.sh)
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('names no function like a command or a shell builtin (every name has an underscore)', () => {
    const names = functions();
    expect(names).toEqual(expect.arrayContaining(['say_line', 'step_install', 'step_finish']));
    // A one-word name can be a command on some image (install, log, fetch, merge, wipe, http...).
    expect(names.filter((n) => !n.includes('_'))).toEqual([]);
    // And none resolves to a command or builtin where this test runs (dash, the guest's shell).
    const found = execFileSync(
      'sh',
      ['-c', 'for n in "$@"; do command -v "$n"; done; exit 0', 'sh', ...names],
      {
        encoding: 'utf8',
      },
    );
    expect(found.trim()).toBe('');
  });

  it('works in GUEST_DIR and keeps its steps file where the contract says', () => {
    const paths = assignedPaths();
    expect(paths.D).toBe(GUEST_DIR);
    expect(paths.STEPS).toBe(GUEST_STEPS_FILE);
    expect(paths.INSTALL).toBe(INSTALL_SH_GUEST_PATH);
    expect(paths.RESULT_JSON).toBe(CLOUD_INIT_RESULT);
    // The user data writes the script where the contract says, and stages fs.tgz there too.
    expect(GUEST_SCRIPT).toBe(GUEST_SCRIPT_PATH);
    expect(FS_STAGE).toBe(FS_STAGE_PATH);
  });

  it('reads prepared.env, stage.env and no-sanitize at the contract paths, and no other shared file in GUEST_DIR', () => {
    const used = guestDirPaths();
    const shared = [PREPARED_ENV, STAGE_ENV, NO_SANITIZE_FILE, GUEST_STEPS_FILE, GUEST_SBOM_FILE];
    for (const path of shared) expect(used).toContain(path);
    const privateFiles = GUEST_PRIVATE_FILES.map((f) => `${GUEST_DIR}/${f}`);
    expect([...used].filter((p) => !shared.includes(p) && !privateFiles.includes(p))).toEqual([]);
    // The loaders source the files, not a copy with another name.
    expect(SCRIPT).toContain('. "$D/prepared.env"');
    expect(SCRIPT).toContain('. "$D/stage.env"');
  });

  it('stages fs.tgz at the contract paths (tmpfs, else disk)', () => {
    expect(SCRIPT).toContain(`echo "$R${FS_STAGE_PATH}"`);
    expect(SCRIPT).toContain(`echo "$R${FS_DISK_STAGE_PATH}"`);
  });

  it('reads exactly the AMIBAKE_* variables of PREPARED_VARS, STAGE_VARS and GUEST_TEST_VARS', () => {
    const used = new Set([...SCRIPT.matchAll(/\bAMIBAKE_[A-Z0-9_]+/g)].map((m) => m[0]));
    const declared = [
      ...Object.values(PREPARED_VARS),
      ...Object.values(STAGE_VARS),
      ...Object.values(GUEST_TEST_VARS),
      ...GUEST_PRIVATE_VARS,
    ];
    expect([...used].sort()).toEqual([...new Set(declared)].sort());
  });

  it('declares the install status codes of GUEST_STATUS, by the same names', () => {
    const line = LINES.find((l) => /^OK=\d+ /.test(l));
    expect(line).toBeDefined();
    const codes = Object.fromEntries(
      line!
        .split(' ')
        .map((a) => a.split('='))
        .map(([k, v]) => [k, Number(v)]),
    );
    // The install's share of the table (the image test reports its own: test-guest.test.ts).
    expect(codes).toEqual(Object.fromEntries(INSTALL_STATUSES.map((n) => [n, GUEST_STATUS[n]])));
  });

  it('records and reports only statuses of GUEST_STATUS', () => {
    const uses = [
      ...[...SCRIPT.matchAll(/record_step \S+ \$([A-Z_]+)/g)].map((m) => m[1]),
      ...[...SCRIPT.matchAll(/\bstatus=\$([A-Z_]+)/g)].map((m) => m[1]),
      ...[...SCRIPT.matchAll(/step_result \S+ \$rc \$([A-Z_]+)/g)].map((m) => m[1]),
    ];
    expect(uses.length).toBeGreaterThan(10);
    const names: string[] = [...INSTALL_STATUSES];
    expect(uses.filter((u) => !names.includes(u))).toEqual([]);
    // Every failure the table documents is one the script can report (OK comes from decide_status).
    expect(names.filter((n) => !uses.includes(n))).toEqual([]);
  });

  it('agrees with the docs status table', () => {
    const table = docsStatusTable();
    expect([...table.keys()].sort((a, b) => a - b)).toEqual(
      Object.values(GUEST_STATUS).sort((a, b) => a - b),
    );
  });

  it('runs the steps of GUEST_STEPS in their order, and finish, as the generated user data calls them', () => {
    // The dispatch and decide_status's loop name the same steps as the contract.
    const dispatch = LINES.find((l) => /^[a-z]+( \| [a-z]+)*\)$/.test(l) && l.includes('fetch'));
    expect(dispatch?.slice(0, -1).split(' | ')).toEqual([...GUEST_STEPS]);
    const loop = /for step in ([a-z ]+); do/.exec(SCRIPT);
    expect(loop?.[1].split(' ')).toEqual([...GUEST_STEPS]);
    expect(LINES).toContain(`${GUEST_FINISH})`);
    for (const step of [...GUEST_STEPS, GUEST_FINISH]) expect(functions()).toContain(`step_${step}`);
    const recorded = new Set([...SCRIPT.matchAll(/(?:record_step|step_result) ([a-z]+) /g)].map((m) => m[1]));
    expect([...recorded].sort()).toEqual([...GUEST_STEPS].sort());

    const configs = generatedParts({ fsMode: 'none', region: 'eu-west-1' }).map((p) => parse(p.content));
    const runcmd = configs.flatMap((c) => (c.runcmd ?? []) as string[][]);
    expect(runcmd).toEqual(GUEST_STEPS.map((s) => ['/bin/sh', GUEST_SCRIPT_PATH, s]));
    const condition = configs.find((c) => c.power_state)?.power_state.condition;
    expect(condition).toContain(`/bin/sh ${GUEST_SCRIPT_PATH} ${GUEST_FINISH};`);
  });

  it('uploads the package inventory with the content type its URL is signed with', () => {
    const put = LINES.find((l) => l.includes('http_transfer PUT "$AMIBAKE_SBOM_URL"'));
    expect(put).toContain(`"$D/sbom.json" ${SBOM_CONTENT_TYPE}`);
    expect(SCRIPT).toContain(STAGE_VARS.sbomUrl);
  });

  it('prints the result line that RESULT_LINE_RE reads', () => {
    const m = /^\s*line="([^"$]*)\$status"$/m.exec(SCRIPT);
    expect(m?.[1]).toBe(RESULT_PREFIX);
    for (const status of Object.values(GUEST_STATUS)) {
      expect(RESULT_LINE_RE.exec(`boot noise\n${RESULT_PREFIX}${status}\n`)?.[1]).toBe(String(status));
    }
  });
});
