/**
 * The install path of an EC2 bake, played in the local VM: the prepared user data with the build's
 * part appended (result and log upload URLs, fs.tgz's when external) served by a loopback stage
 * server, one boot until the guest powers off, and the install status read as the build reads it
 * (the uploaded result, checked against the console line). `amibake prepare --disk` bakes its
 * disk this way.
 */
import { readFile } from 'node:fs/promises';
import { finalUserdata } from '../features/bake/userdata.js';
import type { BaseImage, MachineResult } from '../vm/machine.js';
import { runMachine } from '../vm/machine.js';
import type { Forward, NetworkMode } from '../vm/qemu.js';
import { GUEST_STAGE_PORT, parseResult, startStageServer } from '../vm/stage-server.js';

export interface LocalBakeOptions {
  userdataPath: string;
  fsTgzPath?: string;
  base: BaseImage | { image: string };
  /** Holds the VM's disk, seed and console log. */
  dir: string;
  network?: NetworkMode;
  firmware?: 'bios' | 'uefi';
  /** More loopback forwards beside the stage server's (a package proxy, say). */
  forwards?: Forward[];
  timeoutMs?: number;
  diskMiB?: number;
  snapshot?: boolean;
  signal?: AbortSignal;
  onPhase?: (message: string) => void;
  onConsole?: (line: string) => void;
  onRequest?: (message: string) => void;
  /** Told the stage URLs' secret as soon as it exists, to mask it in logs. */
  onToken?: (token: string) => void;
}

export interface LocalBakeResult {
  machine: MachineResult;
  /** The install status: the uploaded result, else the console line. */
  status?: number;
  /** What went wrong besides the status (interrupted, timed out, rebooted, no result...). */
  problems: string[];
  /** The install log the guest uploaded. */
  log?: string;
  /** The user data the guest booted with (the build's part holds the stage URLs). */
  userData: Buffer;
  /** The secret path of the stage URLs: it must not be left on the disk. */
  token: string;
}

export async function localBake(opts: LocalBakeOptions): Promise<LocalBakeResult> {
  const server = await startStageServer({ fsTgz: opts.fsTgzPath, onRequest: opts.onRequest });
  try {
    opts.onToken?.(server.token);
    const userData = finalUserdata(await readFile(opts.userdataPath), server.urls);
    const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
    const machine = await runMachine({
      userData,
      base: opts.base,
      dir: opts.dir,
      forwards: [{ guestPort: GUEST_STAGE_PORT, hostPort: server.port }, ...(opts.forwards ?? [])],
      network: opts.network,
      firmware: opts.firmware,
      timeoutMs,
      diskMiB: opts.diskMiB,
      snapshot: opts.snapshot,
      signal: opts.signal,
      onPhase: opts.onPhase,
      onConsole: opts.onConsole,
    });
    const problems: string[] = [];
    if (machine.exit.aborted) problems.push('interrupted');
    if (machine.exit.timedOut) problems.push(`the VM did not power off within ${timeoutMs / 1000} s`);
    else if (!machine.poweredOff && !machine.exit.aborted)
      problems.push('the VM rebooted instead of powering off');
    const uploaded = parseResult(server.result());
    const status = uploaded ?? machine.status;
    if (uploaded !== undefined && machine.status !== undefined && uploaded !== machine.status) {
      problems.push(`the uploaded result (${uploaded}) and the console line (${machine.status}) differ`);
    }
    if (status === undefined) {
      problems.push('the guest reported no install status (no result upload, no AMIBAKE-RESULT line)');
    }
    return { machine, status, problems, log: server.log(), userData, token: server.token };
  } finally {
    await server.close();
  }
}
