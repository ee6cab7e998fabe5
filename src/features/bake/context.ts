/** What the bake's phases share: the run context, the dependencies, the result, and what the
 *  recovery of any phase is given and reports. Features that plug into the bake use these too. */
import type { BlockDeviceMapping, EC2Client, Image } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../core/log.js';
import type { ClientFor } from '../../aws/clients.js';
import type { Sleep } from '../../aws/retry.js';
import type { StagingKeys, StageUrls } from '../../aws/staging.js';
import type { Phase, RunBase } from '../../engine/phase.js';
import type { PhaseTiming } from '../../engine/timings.js';
import type { StateStore } from '../../engine/state.js';
import type { BakeConfig } from './config.js';
import type { TagInput } from './tags.js';

export interface BakeDeps {
  ec2: EC2Client;
  /** Same endpoint and credentials, few retries: for best-effort lookups. */
  quick: EC2Client;
  s3: S3Client;
  logger: Logger;
  state: StateStore;
  /** Injected in tests that exercise timeouts without waiting for them. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Where the bake writes the files it hands on (the package inventory): the runner's temporary
   *  folder in the action, the system's by default. */
  workDir?: string;
}

export interface BakeContext extends RunBase {
  cfg: BakeConfig;
  deps: BakeDeps;
  clientToken: string;
  /** The base AMI id: cfg.baseAmi, or what a resolving phase made of it. */
  baseAmi: string;
  /** The base image as a resolving phase found it, and how (for the plan and the summary). */
  base?: { image: Image; how: string };
  /** The base image's architecture (`x86_64`, `arm64`), once described: it chooses the default
   *  instance type and drops the listed types that cannot boot it. */
  architecture?: string;
  /** The instance types the launch may use, in order: the option's, then (preflight) only those
   *  of the base image's architecture, or its default type. */
  instanceTypes: string[];
  /** The type and subnet the build instance was launched with (after any capacity fallback). */
  instanceType?: string;
  subnet?: string;
  /** The reuse digest (tag `amibake:digest`). */
  digest: string;
  /** Inputs of the reuse digest; phases that change what is baked add to it before preflight. */
  digestParts: Record<string, string>;
  tags: TagInput;
  /** Block devices of the instance (root volume size, type, encryption). */
  blockDevices?: BlockDeviceMapping[];
  staging?: StagingKeys;
  urls: StageUrls;
  userdata?: Buffer;
  instanceId?: string;
  installStatus?: number;
  image?: Image;
  /** An AMI of the same name and digest already exists: nothing is launched. */
  reused?: Image;
  /** The finished AMIs by region (the build's and its copies), once published. */
  amis?: Record<string, string>;
  /** One EC2 client per region (the build's own for its region). */
  clientFor: ClientFor;
  /** What later phases add to the outputs, the output file and the summary. */
  report: ReportExtras;
  sleep(ms: number): Promise<void>;
}

export interface ReportExtras {
  /** Extra action outputs (name -> value). */
  outputs: Record<string, string>;
  /** Extra lines of the output file (VARIABLE -> value). */
  fileVars: Record<string, string>;
  /** Extra rows of the summary table. */
  summary: [string, string][];
  /** Set by the dry run: nothing was launched and there is no AMI. */
  dryRun?: boolean;
}

export interface BakeResult {
  amiId: string;
  amiName: string;
  region: string;
  instanceId?: string;
  /** The instance was seen `terminated` (a failure to confirm it is only a warning). */
  terminated: boolean;
  reused: boolean;
  baseAmi: string;
  instanceType: string;
  digest: string;
  snapshots: string[];
  timings: PhaseTiming[];
  report: ReportExtras;
}

/** How long recovery may insist, and whether it waits to see the instance terminated: what each
 *  caller (the bake's error path, a signal, the post step) decides. */
export interface RecoveryBudget {
  /** Wait until the instance is seen terminated (reporting only: TerminateInstances accepted is
   *  what counts); it runs after every other recovery (the launch's `settle`). */
  wait: boolean;
  /** When RunInstances was sent but its answer was lost, look for the instance this long:
   *  DescribeInstances is eventually consistent. */
  lookupSeconds?: number;
  /** How long TerminateInstances (and the other removals) are retried. */
  terminateSeconds?: number;
  /** How long an AMI whose CreateImage answer was lost is looked for by name. */
  imageLookupSeconds?: number;
  waitSeconds?: number;
  delaySeconds?: number;
  /** Also deal with an AMI whose creation started but did not finish (default true). */
  images?: boolean;
  sleep?: Sleep;
}

/** What a phase's `recover` gets: clients of the saved region and how long it may insist. */
export interface RecoverDeps extends RecoveryBudget {
  ec2: EC2Client;
  /** A client with few retries, for lookups moto does not implement. */
  quick: EC2Client;
  /** Clients of other regions (copies). */
  clientFor: ClientFor;
  logger: Logger;
  /** Saves a fact back (in the process that ran the bake: "seen terminated"). */
  save?: (key: string, value: string) => void;
}

export interface CleanupReport {
  /** Instances whose termination AWS accepted (or that AWS no longer knows). */
  terminated: string[];
  /** Of those, the ones seen `terminated` (or unknown to AWS). */
  confirmed: string[];
  /** Instances not terminated when cleanup gave up. */
  left: string[];
  /** An AMI that became available before the bake stopped: kept and tagged like a result. */
  keptImage?: string;
  discardedImage?: string;
  /** What is left in AWS, one sentence per leftover, each naming it by id: errors for the caller. */
  problems: string[];
}

export const emptyReport = (): CleanupReport => ({ terminated: [], confirmed: [], left: [], problems: [] });

/** A phase of the bake (or of a feature plugged into it). */
export type BakePhase = Phase<BakeContext, RecoverDeps, CleanupReport>;

/** The problems of a report as one error message (empty when nothing is left). */
export function leftoverMessage(report: CleanupReport): string {
  if (!report.problems.length) return '';
  return (
    `cleanup left resources in AWS:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n` +
    'remove them by hand, or let `amibake sweep` terminate the build instances and finish the AMIs'
  );
}
