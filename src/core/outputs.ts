/** Action outputs: names used by the fronts and descriptions for action.yml and docs/*.md. */

export const PREPARE_OUTPUTS = {
  directory: { name: 'directory', description: 'Folder holding the prepared files.' },
  userdataPath: { name: 'userdata-path', description: 'Path of `userdata.gz`.' },
  userdataSize: { name: 'userdata-size', description: 'Size of `userdata.gz` in bytes (at most 16,384).' },
  fsTgzPath: {
    name: 'fs-tgz-path',
    description: 'Path of `fs.tgz` when the files went external, else empty.',
  },
  fsTgzSize: {
    name: 'fs-tgz-size',
    description: 'Size of `fs.tgz` in bytes, inline or external; empty when there are no files.',
  },
  fsExternal: { name: 'fs-external', description: '`true` when `fs.tgz` must be staged in S3 by the build.' },
  varsPath: { name: 'vars-path', description: 'Path of `vars.env`.' },
  testUserdataPath: {
    name: 'test-userdata-path',
    description: 'Path of `userdata-test.gz` when the image source has `script/test.sh`, else empty.',
  },
  artifactId: { name: 'artifact-id', description: 'Id of the uploaded artifact.' },
} as const;

export const BUILD_OUTPUTS = {
  amiId: { name: 'ami-id', description: 'Id of the AMI (in the build region).' },
  amiName: { name: 'ami-name', description: 'Name of the AMI.' },
  region: { name: 'region', description: 'Region the AMI was built in.' },
  instanceId: { name: 'instance-id', description: 'Id of the temporary instance (terminated).' },
  baseAmi: {
    name: 'base-ami',
    description: 'The base AMI id the bake used (resolved from an SSM parameter or a name filter).',
  },
  amis: {
    name: 'amis',
    description:
      'JSON map of region to AMI id: the build region and every copy, e.g. `{"us-east-1":"ami-…","eu-west-1":"ami-…"}`.',
  },
  ssmParameters: {
    name: 'ssm-parameters',
    description:
      'JSON map of region to the SSM parameters written with the AMI id (`publish-ssm`), e.g. `{"us-east-1":["/golden/web"],"eu-west-1":["/golden/web"]}`; empty when none is asked for.',
  },
  launchTemplateVersion: {
    name: 'launch-template-version',
    description:
      'The version number of the new launch template version (`launch-template`); empty when none is asked for.',
  },
  testStatus: {
    name: 'test-status',
    description:
      '`passed` (the new AMI passed its test), `failed` (set on a failed build), `skipped` (no test in the artifact, or `test: false`) or `reused` (a reused AMI that had passed its test).',
  },
  sbom: {
    name: 'sbom',
    description:
      "Path of the package inventory (CycloneDX JSON) the instance reported after its install, as checked and saved by the build; its sha256 is the AMI's `amibake:sbom-sha256` tag. Empty when there is none (no S3 location, a reused AMI, or a missing or malformed inventory).",
  },
  timings: {
    name: 'timings',
    description:
      'JSON list of the phases the bake ran, in order, with the spans inside them: `[{"phase":"install","title":"Install (until stopped)","start":"<ISO 8601>","seconds":312.5,"spans":[{"span":"running","title":"Launch to running","start":"<ISO 8601>","seconds":21.2,"wait":true}, …]}, …]`.',
  },
} as const;

export type OutputTable = Record<string, { name: string; description: string }>;
