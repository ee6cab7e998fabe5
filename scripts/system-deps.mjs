#!/usr/bin/env node
/**
 * Checks the system tools a test suite needs before jest starts, and names the package of each one
 * that is missing, instead of letting tests fail deep in the suite (`npm test` runs it as `pretest`).
 *
 *   node scripts/system-deps.mjs [unit|vm]...   exit 1 and one line per missing tool
 *
 * The table is scripts/system-deps.json; the VM harness (test/vm/harness.ts) reads it too, and
 * scripts/setup.sh installs every apt package it names (test/tooling/setup.test.ts checks).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEPS = JSON.parse(readFileSync(new URL('./system-deps.json', import.meta.url), 'utf8'));

/** Like `command -v`, sbin folders included (mkfs.ext4, sfdisk live there; a user's PATH often lacks them). */
function onPath(command) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return dirs.some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function present(dep) {
  if (dep.command) return onPath(dep.command);
  if (dep.file) {
    try {
      accessSync(dep.file, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }
  return spawnSync(dep.check[0], dep.check.slice(1), { stdio: 'ignore' }).status === 0;
}

/** One line per missing tool of the suites: "cloud-init (apt install cloud-init) is missing: ...". */
export function missing(suites) {
  return suites
    .flatMap((s) => DEPS[s] ?? [])
    .filter((dep) => !present(dep))
    .map((dep) => `${dep.name} (${dep.install}) is missing: run scripts/setup.sh`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const suites = process.argv.slice(2);
  const unknown = suites.filter((s) => !DEPS[s]);
  if (unknown.length) {
    console.error(`unknown suite ${unknown.join(', ')} (known: ${Object.keys(DEPS).join(', ')})`);
    process.exit(2);
  }
  const lines = missing(suites.length ? suites : ['unit']);
  for (const line of lines) console.error(line);
  process.exit(lines.length ? 1 : 0);
}
