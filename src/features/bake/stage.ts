/** Stage files: presigned URLs for the instance, the final user data, fs.tgz uploaded to S3. */
import { presign, stagingKeys, uploadFs } from '../../aws/staging.js';
import type { BakePhase } from './context.js';
import { finalUserdata } from './userdata.js';

export const stage: BakePhase = {
  id: 'stage',
  title: 'Stage files',
  async run(ctx) {
    const { cfg, deps } = ctx;
    const prepared = cfg.prepared;
    if (cfg.staging) {
      ctx.staging = stagingKeys(cfg.staging, ctx.clientToken);
      // Signing is local: the size check below comes before anything is uploaded.
      ctx.urls = await presign(deps.s3, ctx.staging, {
        seconds: cfg.timeoutInstance,
        withFs: prepared.fsMode === 'external',
      });
      for (const url of Object.values(ctx.urls)) if (url) deps.logger.mask(url);
    } else {
      deps.logger.info('no S3 location: the install result is read from the console only');
    }
    ctx.userdata = finalUserdata(prepared.userdata, ctx.urls, { keyPair: cfg.keyPair });
    deps.logger.info(`user data: ${ctx.userdata.length} bytes of 16384`);
    if (prepared.fsMode === 'external' && ctx.staging) {
      ctx.span('upload', 'Upload fs.tgz');
      await uploadFs(deps.s3, ctx.staging, prepared.fsTgzPath!, deps.logger);
    }
  },
};
