/** The golden-image reference (docs/golden.md) against the options table: every golden option
 *  documented; docs/coming-from-packer.md's tables naming only real options, and Spot explained
 *  rather than offered. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { OptionDef } from '../../src/core/options.js';
import { DISK_UPLOAD_OPTIONS } from '../../src/features/disk-upload/options.js';
import { OPTIONS } from '../../src/pipeline/options.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const golden = read('docs/golden.md');
const section = golden.slice(
  golden.indexOf('<!-- section:golden -->'),
  golden.indexOf('<!-- /section:golden -->'),
);
const packerDoc = read('docs/coming-from-packer.md');
const defs = Object.values(OPTIONS) as OptionDef<unknown>[];
const inputs = new Set(defs.map((d) => d.input).filter(Boolean));

/** The golden-image options (everything from `tags` on in the table, plus the base image). */
const GOLDEN = [
  'baseAmi',
  ...Object.keys(OPTIONS)
    .slice(Object.keys(OPTIONS).indexOf('tags'))
    // The disk path's own options are documented with it (docs/disk-path.md).
    .filter((k) => !(k in DISK_UPLOAD_OPTIONS)),
] as (keyof typeof OPTIONS)[];

/** Rows of the table under `heading`: [theirs, amibake]. */
function mapping(heading: string): [string, string][] {
  const at = packerDoc.indexOf(heading);
  expect(at).toBeGreaterThan(0);
  const lines = packerDoc.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('| '));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('| '));
  return lines
    .slice(start, end)
    .filter((l) => !l.startsWith('| ---'))
    .slice(1)
    .map((l) => {
      const cells = l.split(' | ');
      return [cells[0].slice(2), cells.slice(1).join(' | ').replace(/ \|$/, '')];
    });
}
const packerTable = () => mapping('## Packer `amazon-ebs`');

/** The option-like names in the amibake column (kebab-case in backticks, before any `:`). */
const named = (rows: [string, string][], allowed: string[]) =>
  rows.flatMap(([, a]) =>
    [...a.matchAll(/`([^`]+)`/g)]
      .map((m) => m[1].split(':')[0].trim())
      .filter((n) => /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(n) && !allowed.includes(n)),
  );

describe('docs: golden images', () => {
  it('documents every golden option by its input name, with an example', () => {
    expect(GOLDEN.length).toBeGreaterThan(20);
    const missing = GOLDEN.map((k) => OPTIONS[k].input!).filter(
      (input) => !new RegExp(`(^|[\\s\`(])${input}(:|\`)`, 'm').test(section),
    );
    expect(missing).toEqual([]);
    // The CLI spelling too.
    expect(section).toMatch(/BUILDAMI_COPY_REGIONS='eu-west-1,ap-northeast-1'/);
  });

  it('maps the amazon-ebs options a team relies on, naming only options that exist', () => {
    const rows = packerTable();
    const packer = rows.map(([p]) => p).join(' ');
    for (const name of [
      'source_ami',
      'source_ami_filter',
      'ami_name',
      'launch_block_device_mappings',
      'encrypt_boot',
      'kms_key_id',
      'ami_regions',
      'region_kms_key_ids',
      'tags',
      'snapshot_tags',
      'run_tags',
      'run_volume_tags',
      'ami_users',
      'ami_org_arns',
      'ami_ou_arns',
      'snapshot_users',
      'deprecate_at',
      'deregistration_protection',
      'imds_support',
      'spot_price',
    ])
      expect(packer).toContain(`\`${name}`);
    expect(packer).toContain('"amazon-parameterstore"');
    // Every option-like name in the amibake column is an input of the options table.
    const names = named(rows, ['stop', 'cooldown']);
    expect(names.length).toBeGreaterThan(25);
    expect(names.filter((n) => !inputs.has(n))).toEqual([]);
    expect(packerDoc).toMatch(/What amibake does that Packer does not:/);
  });

  it("maps EC2 Image Builder's parts, naming only options that exist", () => {
    const rows = mapping('## EC2 Image Builder');
    const theirs = rows.map(([p]) => p).join(' ');
    for (const part of ['Image recipe', 'Infrastructure configuration', 'Distribution configuration'])
      expect(theirs).toContain(part);
    const names = named(rows, ['on', 'resolve']);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !inputs.has(n))).toEqual([]);
  });

  it('says why Spot is not offered, and offers no Spot option', () => {
    const spot = packerTable().find(([p]) => p.includes('spot_price'));
    expect(spot?.[1]).toMatch(/\*\*not offered\*\*: a one-time Spot instance cannot stop/);
    expect(defs.filter((d) => /spot/i.test(`${d.input} ${d.env}`))).toEqual([]);
  });
});
