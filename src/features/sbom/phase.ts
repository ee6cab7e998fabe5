/**
 * Package inventory: reads back the CycloneDX SBOM the instance uploaded after its install,
 * checks its shape and size, saves it for the fronts (output `sbom`) and has the AMI tagged with
 * its sha256 (`amibake:sbom-sha256`, set before the image phase creates the AMI). It creates
 * nothing in AWS: no recover.
 *
 * A missing or malformed inventory is a warning and no `sbom` output, never a failed bake: the
 * inventory is the image's own report, made inside the untrusted image, and says nothing about
 * whether the AMI is good (the install status decided that). Failing here would make it one more
 * way for the image to fail a bake its install did not fail, and would buy no safety: an image
 * that wants to lie writes a well-formed inventory. What the check protects is the consumer (the
 * workflow artifact, an attestation step): it gets a document of the promised shape, or none.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readObjectCapped } from '../../aws/staging.js';
import { BUILD_OUTPUTS } from '../../core/outputs.js';
import type { BakePhase } from '../bake/context.js';
import { MAX_SBOM_BYTES, checkSbom } from './validate.js';

export const sbomPhase: BakePhase = {
  id: 'sbom',
  title: 'Package inventory',
  async run(ctx) {
    const { cfg, deps } = ctx;
    if (!ctx.staging) {
      deps.logger.info('no S3 location: no presigned URL for the package inventory, SBOM skipped');
      return;
    }
    const { bucket, sbom: key } = ctx.staging;
    const got = await readObjectCapped(deps.s3, bucket, key, MAX_SBOM_BYTES, deps.logger);
    if (!got) {
      deps.logger.warn(
        `the instance uploaded no package inventory (s3://${bucket}/${key}): no SBOM (does the image have ` +
          'dpkg-query, rpm or apk, and curl or python3? the install log says why)',
      );
      return;
    }
    if (got.tooLarge) {
      deps.logger.warn(`the package inventory is larger than ${MAX_SBOM_BYTES} bytes: refused, no SBOM`);
      return;
    }
    const checked = checkSbom(got.bytes);
    if (!checked.ok) {
      deps.logger.warn(
        `the package inventory is not a CycloneDX SBOM of the expected shape (${checked.reason}): refused, no SBOM`,
      );
      return;
    }
    const sha256 = createHash('sha256').update(got.bytes).digest('hex');
    // A folder of its own: two bakes on one runner never share a file.
    const dir = await mkdtemp(join(deps.workDir ?? tmpdir(), 'amibake-sbom-'));
    const path = join(dir, `${cfg.amiName.replace(/[^A-Za-z0-9._-]/g, '_')}.sbom.json`);
    await writeFile(path, got.bytes);
    ctx.tags.sbomSha256 = sha256;
    ctx.report.outputs[BUILD_OUTPUTS.sbom.name] = path;
    ctx.report.fileVars.SBOM = path;
    const { components, specVersion } = checked.summary;
    ctx.report.summary.push([
      'Package inventory',
      `${components} components (CycloneDX ${specVersion}), sha256 ${sha256}`,
    ]);
    deps.logger.info(`package inventory: ${components} components, saved to ${path} (sha256 ${sha256})`);
  },
};
