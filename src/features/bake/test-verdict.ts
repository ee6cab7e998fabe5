/**
 * An AMI that failed its test (kept tagged `amibake:test=failed` for inspection) is never reused,
 * copied, shared or published, whatever this bake's `test` option: the verdict is the AMI's, and
 * turning the test off must not turn a failed image into a good one.
 */
import type { Image } from '@aws-sdk/client-ec2';
import { UserError, msg, opt } from '../../core/errors.js';
import { TAG, tagValue } from '../../aws/tags.js';

export const failedTest = (image: Image): boolean => tagValue(image, TAG.test) === 'failed';

/** Throws when `image` failed its test; `what` says what was refused (reused, copied, ...). */
export function refuseFailedTest(image: Image, amiName: string, what = 'reused'): void {
  if (!failedTest(image)) return;
  throw new UserError(
    msg`the AMI ${image.ImageId} (${amiName}) of an earlier bake failed its test (${TAG.test}=failed) and is never ${what}: deregister it, or bump the version (${opt('targetVersion')}), to bake it again`,
  );
}
