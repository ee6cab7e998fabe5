/** The golden-image option parsers, gathered for the options table. */
export { baseAmiRef } from './base-ami.js';
export { regionKeyMap } from './copy.js';
export { duration } from './duration.js';
export { accountId, organizationArn, ouArn, protection, snapshotSharing } from './share.js';
export { tagList } from './tags.js';
export { kmsKey, rootVolumeType } from './volume.js';
