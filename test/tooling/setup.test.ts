/**
 * The one setup command (scripts/setup.sh), CI (.ci/run) and the check `npm test` runs first
 * (scripts/system-deps.mjs) name the same tools and packages.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');

interface Dep {
  name: string;
  install: string;
}
const DEPS = JSON.parse(read('scripts/system-deps.json')) as Record<string, Dep[]>;
const SETUP = read('scripts/setup.sh');
const CI_RUN = read('.ci/run');

/** The words of setup.sh's `APT_PACKAGES=( ... )`. */
function aptPackages(): string[] {
  const m = /^APT_PACKAGES=\(([^)]*)\)/m.exec(SETUP);
  expect(m).not.toBeNull();
  return m![1].split(/\s+/).filter(Boolean);
}

describe('scripts/setup.sh', () => {
  it('installs every apt package the suites check for', () => {
    const named = Object.values(DEPS)
      .flat()
      .map((d) => /^apt install (\S+)$/.exec(d.install)?.[1])
      .filter((p): p is string => !!p);
    expect(named).toEqual(expect.arrayContaining(['cloud-init', 'shellcheck', 'qemu-system-x86']));
    const installed = aptPackages();
    expect(named.filter((p) => !installed.includes(p))).toEqual([]);
  });

  it('installs moto the way the check tells a developer to', () => {
    const moto = DEPS.unit.find((d) => d.name === 'moto_server');
    expect(moto?.install).toBe("pip install 'moto[server]'");
    // The same pip spec, whatever options setup.sh adds (--quiet).
    const [, spec] = /^pip install (.+)$/.exec(moto!.install)!;
    const commands = SETUP.split('\n').filter((l) => /^\s*[^#\s]/.test(l));
    expect(commands.some((l) => l.includes('pip install') && l.includes(spec))).toBe(true);
  });

  it('is what CI installs with: .ci/run has no package installs of its own', () => {
    expect(CI_RUN).toMatch(/^bash scripts\/setup\.sh /m);
    const commands = CI_RUN.split('\n').filter((l) => /^\s*[^#\s]/.test(l));
    expect(commands.filter((l) => /apt-get|pip install|npm ci/.test(l))).toEqual([]);
  });

  it('runs the layer rules, shellcheck and the dist/ check as CI does', () => {
    for (const text of [SETUP, CI_RUN]) {
      expect(text).toContain('npm run -s depcruise');
      expect(text).toContain('sh scripts/shellcheck.sh');
      expect(text).toContain('npm run -s check-dist');
    }
  });
});

describe('npm test checks its system tools first', () => {
  it('runs scripts/system-deps.mjs before each suite', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.pretest).toBe('node scripts/system-deps.mjs unit');
    expect(pkg.scripts['pretest:vm']).toBe('node scripts/system-deps.mjs vm');
    expect(DEPS.vm.length).toBeGreaterThan(0);
  });

  it('names each missing tool with its package and the setup command', () => {
    // A PATH with node alone: every tool looked up on the PATH is missing.
    const bin = mkdtempSync(join(tmpdir(), 'amibake-path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = spawnSync(join(bin, 'node'), [join(ROOT, 'scripts/system-deps.mjs'), 'unit', 'vm'], {
      env: { PATH: bin },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("moto_server (pip install 'moto[server]') is missing: run scripts/setup.sh");
    expect(r.stderr).toContain('shellcheck (apt install shellcheck) is missing: run scripts/setup.sh');
    expect(r.stderr).toContain(
      'qemu-system-x86_64 (apt install qemu-system-x86) is missing: run scripts/setup.sh',
    );
  });

  it('refuses a suite it does not know', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/system-deps.mjs'), 'nonsense'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown suite nonsense');
  });
});
