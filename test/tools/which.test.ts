/** The VM runner's tool lookup (src/vm/exec.ts `which`): PATH first, then the sbin folders. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { which } from '../../src/vm/exec.js';

describe('which', () => {
  const savedPath = process.env.PATH;
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'amibake-which-'));
    process.env.PATH = bin;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('finds an executable file on PATH', async () => {
    writeFileSync(join(bin, 'amibake-tool'), '#!/bin/sh\n');
    chmodSync(join(bin, 'amibake-tool'), 0o755);
    expect(await which('amibake-tool')).toBe(join(bin, 'amibake-tool'));
  });

  it('passes over a folder or a file that is not executable', async () => {
    mkdirSync(join(bin, 'amibake-folder'));
    writeFileSync(join(bin, 'amibake-plain'), 'data\n');
    chmodSync(join(bin, 'amibake-plain'), 0o644);
    expect(await which('amibake-folder')).toBeUndefined();
    expect(await which('amibake-plain')).toBeUndefined();
  });

  const sbinTool = ['/usr/sbin/nologin', '/sbin/nologin'].find(existsSync);
  (sbinTool ? it : it.skip)('looks in the sbin folders that PATH lacks', async () => {
    expect(await which('nologin')).toMatch(/^(\/usr)?\/sbin\/nologin$/);
  });
});
