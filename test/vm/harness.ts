/**
 * The VM end-to-end harness: the real build (the CLI bundled from this source) runs against
 * moto_server, and a real VM plays the instance it launches. The harness watches moto for that
 * instance, boots the VM runner with the user data moto holds for it (DescribeInstanceAttribute),
 * and calls StopInstances when the guest has powered off (moto never stops an instance itself).
 *
 * The guest reaches moto at the very host:port the build signed its URLs for (127.0.0.1:PORT):
 * a NoCloud vendor-data script, which leaves the user data untouched, starts a forwarder inside
 * the guest from 127.0.0.1:PORT to qemu's guestfwd address, which leads to moto on the host.
 */
import { describe, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  StopInstancesCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import { bundleSource } from '../support/bundle.js';
import { which } from '../../src/vm/exec.js';
import { BaseImage, runMachine, VM_TOOLS, type MachineResult } from '../../src/vm/machine.js';
import { HOST_ALIAS_IP } from '../../src/vm/seed.js';
import { REGION } from '../support/moto.js';

/** The repository (not from import.meta.dirname, which jest's ESM runtime may leave undefined). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

interface SystemDep {
  name: string;
  command?: string;
  install: string;
}
/** The tools of scripts/system-deps.json (what `npm test` checks first), to name their packages. */
const SYSTEM_DEPS: SystemDep[] = Object.values(
  JSON.parse(readFileSync(join(ROOT, 'scripts/system-deps.json'), 'utf8')) as Record<string, SystemDep[]>,
).flat();

/** "qemu-img (apt install qemu-utils)": a missing tool named with what installs it. */
export function withPackage(tool: string): string {
  const dep = SYSTEM_DEPS.find((d) => d.command === tool || d.name === tool);
  return dep ? `${tool} (${dep.install})` : tool;
}

/** Why this machine cannot run the VM tests, or undefined when it can. */
export async function cannotRun(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0)
    return 'needs root (the VM disk keeps file owners; .ci/run installs packages as root)';
  const missing: string[] = [];
  for (const t of [...VM_TOOLS, 'mmdebstrap']) if (!(await which(t))) missing.push(t);
  if (missing.length) return `missing ${missing.map(withPackage).join(', ')}: run scripts/setup.sh`;
  return undefined;
}

const underCi = () => process.env.CI === 'true';
const ciFailure = (what: string, reason: string) => () => {
  throw new Error(`${what} cannot run: ${reason} (under CI=true a skipped VM test is a failure)`);
};

/** `describe` when REASON is undefined; else `describe.skip`, with the reason on stderr. Under
 *  CI=true a skip would hide a machine that lost a tool: one failing test names it instead. */
export function describeUnless(reason: string | undefined, what: string): typeof describe.skip {
  if (!reason) return describe;
  if (underCi()) describe(what, () => it('has what it needs', ciFailure(what, reason)));
  else process.stderr.write(`${what} skipped: ${reason}\n`);
  return describe.skip;
}

/** `it` when REASON is undefined; else `it.skip`, or (under CI=true) a failing test beside it. */
export function itUnless(reason: string | undefined, what: string): typeof it.skip {
  if (!reason) return it;
  if (underCi()) it(`${what}: has what it needs`, ciFailure(what, reason));
  return it.skip;
}

/** The CLI bundled from the current source (what `npm run build` makes of it), in `dir`. */
export async function bundleCli(dir: string): Promise<string> {
  const out = join(dir, 'cli');
  await bundleSource({ index: join(ROOT, 'src/cli/index.ts') }, out);
  return join(out, 'index.js');
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  cli: string,
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/root',
        // The suite's guests reach loopback only (jest.vm.config.js sets it for this process).
        AMIBAKE_VM_NETWORK: 'isolated',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A tiny TCP relay (python3 is on every cloud image cloud-init runs on).
const FORWARDER = `import socket, sys, threading
lh, lp, rh, rp = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    try:
        b.shutdown(socket.SHUT_WR)
    except OSError:
        pass
def serve(c):
    try:
        u = socket.create_connection((rh, rp))
    except OSError:
        c.close()
        return
    t = threading.Thread(target=pipe, args=(u, c), daemon=True)
    t.start()
    pipe(c, u)
    t.join()
    c.close()
    u.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((lh, lp))
s.listen(64)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
`;

/**
 * NoCloud vendor-data: a script (cloud-init runs vendor scripts in its final stage, before the
 * user's runcmd) that starts the forwarder as a transient unit and waits until it listens. It
 * lives in /run only, so nothing of it reaches the disk beyond what `cloud-init clean` removes.
 */
export function forwarderVendorData(port: number): string {
  return `#!/bin/sh
cat > /run/amibake-test-forward.py <<'PY'
${FORWARDER}PY
systemd-run --unit=amibake-test-forward --quiet python3 /run/amibake-test-forward.py 127.0.0.1 ${port} ${HOST_ALIAS_IP} ${port}
i=0
while [ $i -lt 100 ]; do
  python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' ${port} 2>/dev/null && exit 0
  sleep 0.2
  i=$((i + 1))
done
echo "amibake test: the forwarder to moto did not start" >&2
exit 1
`;
}

export interface Played {
  instanceId: string;
  userData: Buffer;
  machine: MachineResult;
  console: string;
}

export interface PlayOptions {
  endpoint: string;
  motoPort: number;
  base: BaseImage;
  dir: string;
  /** The instance to play: its Name tag contains this (the build tags `amibake <ami name>`). */
  nameContains: string;
  /** Runs after the instance is found and before the VM boots (to tamper with S3, for instance). */
  beforeBoot?: (instance: Instance) => Promise<void>;
  timeoutMs?: number;
  cpus?: number;
  onConsole?: (line: string) => void;
}

async function findInstance(ec2: EC2Client, nameContains: string, deadline: number): Promise<Instance> {
  while (Date.now() < deadline) {
    const out = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }],
      }),
    );
    const found = (out.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .find((i) => (i.Tags ?? []).some((t) => t.Key === 'Name' && t.Value?.includes(nameContains)));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no running instance named *${nameContains}* appeared in moto`);
}

/** Plays the instance the build launches: find it, boot its user data, stop it when the guest is off. */
export async function playInstance(opts: PlayOptions): Promise<Played> {
  const ec2 = new EC2Client({ region: REGION, endpoint: opts.endpoint });
  const instance = await findInstance(ec2, opts.nameContains, Date.now() + 120_000);
  const instanceId = instance.InstanceId!;
  const attr = await ec2.send(
    new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }),
  );
  const userData = Buffer.from(attr.UserData?.Value ?? '', 'base64');
  if (!userData.length) throw new Error(`instance ${instanceId} has no user data`);
  await opts.beforeBoot?.(instance);
  await mkdir(opts.dir, { recursive: true });
  await writeFile(join(opts.dir, 'userdata.gz'), userData);
  let consoleText = '';
  try {
    const machine = await runMachine({
      userData,
      vendorData: forwarderVendorData(opts.motoPort),
      base: opts.base,
      dir: opts.dir,
      instanceId,
      forwards: [{ guestPort: opts.motoPort, hostPort: opts.motoPort }],
      network: 'isolated',
      timeoutMs: opts.timeoutMs ?? 10 * 60_000,
      cpus: opts.cpus,
      onConsole: (line) => {
        consoleText += line + '\n';
        opts.onConsole?.(line);
      },
    });
    return { instanceId, userData, machine, console: consoleText };
  } finally {
    // What EC2 does when the guest powers off with InstanceInitiatedShutdownBehavior=stop (and
    // what ends the build's wait when the VM failed).
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
  }
}
