/**
 * The registry of every phase that can recover, by id: the action's post step looks the started
 * ones up here. Recovery needs a phase's `recover` and `state` only, which do not depend on the
 * configuration; and this module imports only those phases, so the post step's bundle carries none
 * of the others' clients (SSM, S3 staging) or the dry run's probes. A new phase with a `recover`
 * is added here as well as to ./phases.ts (test/engine/pipeline.test.ts checks both agree).
 */
import type { Registry } from '../engine/recovery.js';
import type { CleanupReport, RecoverDeps } from '../features/bake/context.js';
import { image } from '../features/bake/image.js';
import { launch } from '../features/bake/launch.js';
import { publishRecovery } from '../features/copy/publish.js';
import { diskRegisterRecovery } from '../features/disk-upload/register.js';
import { diskUploadRecovery } from '../features/disk-upload/upload.js';
import { testRecovery } from '../features/test/recovery.js';

export const REGISTRY: Registry<RecoverDeps, CleanupReport> = new Map(
  [launch, image, diskUploadRecovery, diskRegisterRecovery, testRecovery, publishRecovery].map((p) => [
    p.id,
    p,
  ]),
);
