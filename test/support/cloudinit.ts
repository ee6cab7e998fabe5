/** Reads user data with Debian's cloud-init library (test/support/cloudinit_userdata.py): the MIME
 *  walk, the cloud-config part handler and its merging, then strict schema validation. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLOUD_INIT_PYTHON = '/usr/bin/python3';
const HELPER = fileURLToPath(new URL('./cloudinit_userdata.py', import.meta.url));

export interface CloudInitView {
  parts: { filename: string; content_type: string; merge_type: string | null }[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  config: Record<string, any>;
  warnings: string[];
  schema: { path: string; message: string }[];
}

export function readWithCloudInit(userdataPath: string): CloudInitView {
  if (!existsSync(CLOUD_INIT_PYTHON))
    throw new Error(`${CLOUD_INIT_PYTHON} not found: install Debian's cloud-init package (see .ci/run)`);
  const out = execFileSync(CLOUD_INIT_PYTHON, [HELPER, userdataPath], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out) as CloudInitView;
}

/** A cloud-config file as cloud-init's own YAML loader (cloudinit.util.load_yaml: PyYAML's safe
 *  loader, YAML 1.1) reads it; null when it does not load to a mapping. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadYamlWithCloudInit(text: string): any {
  if (!existsSync(CLOUD_INIT_PYTHON))
    throw new Error(`${CLOUD_INIT_PYTHON} not found: install Debian's cloud-init package (see .ci/run)`);
  const script =
    'import json, sys\nfrom cloudinit import util\n' +
    'json.dump(util.load_yaml(sys.stdin.read()), sys.stdout, default=str)\n';
  return JSON.parse(execFileSync(CLOUD_INIT_PYTHON, ['-c', script], { input: text, encoding: 'utf8' }));
}
