/** The prepare stage's options (amibake prepare, action-prepare): loading them loads no AWS SDK. */
import { option } from '../core/options.js';
import * as p from '../core/parse.js';

export const PREPARE_OPTIONS = {
  source: option({
    input: 'source',
    stages: ['prepare'],
    description:
      'Image source folder (`cloudinit/`, `fs/`, `script/`, `ami.env`). The CLI takes it as its first argument.',
    required: true,
    parse: p.text,
  }),
  target: option({
    input: 'target',
    stages: ['prepare'],
    description: 'Folder the prepared files are written to. The CLI takes it as its second argument.',
    default: 'amibake-out',
    parse: p.text,
  }),
  awsRegion: option({
    input: 'aws-region',
    env: 'AWSREGION',
    stages: ['prepare'],
    description: 'Region the instance uses for `aws s3 cp` when no presigned URL is handed to it.',
    default: 'ap-northeast-1',
    parse: p.region,
  }),
  s3Url: option({
    input: 's3-url',
    env: 'S3URL',
    stages: ['prepare'],
    description:
      'Where `fs.tgz` is staged (`s3://bucket/path/fs.tgz`). Required only when the files do not fit inline.',
    parse: p.s3Url,
  }),
  disk: option({
    input: 'disk',
    stages: ['prepare'],
    description:
      'Also bake the root disk here: boot the bootable Debian 12 base in a local VM (qemu; needs root and the VM tools), apply the image source with the user data an instance would get, and add the finished disk (`disk.manifest.json`, `disk.blocks`) to the artifact for a build without an instance. The CLI takes `--disk`.',
    default: 'false',
    parse: p.boolean,
  }),
  artifactName: option({
    input: 'artifact-name',
    stages: ['prepare', 'build'],
    description:
      'Name of the workflow artifact that carries the prepared files from the prepare job to the build job.',
    default: 'amibake',
    parse: p.pattern(/^[^"\\:<>|*?/\r\n]+$/, 'a valid artifact name'),
  }),
} as const;
