import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { imageTags, runTags } from '../../src/features/bake/tags.js';
import { renderTags, tagContext } from '../../src/features/tags/templates.js';
import { tagList } from '../../src/features/tags/templates.js';
import { TAG } from '../../src/aws/tags.js';

const ctx = {
  name: 'web',
  version: '1.2.3',
  base_ami: 'ami-0123456789abcdef0',
  run_id: '42-1',
  date: '2025-03-04',
};

describe('BUILDAMI_TAGS', () => {
  it('parses key=value items separated by commas or newlines, trimming blanks', () => {
    expect(tagList('team=platform, cost-center = 42\n\nowner=ops@example.com,')).toEqual([
      { key: 'team', value: 'platform' },
      { key: 'cost-center', value: '42' },
      { key: 'owner', value: 'ops@example.com' },
    ]);
  });

  it('keeps everything after the first = in the value, and allows empty values', () => {
    expect(tagList('expr=a=b,empty=')).toEqual([
      { key: 'expr', value: 'a=b' },
      { key: 'empty', value: '' },
    ]);
  });

  it.each([
    ['noequals', /not key=value/],
    ['=value', /empty key/],
    ['aws:created=x', /aws: prefix is reserved/],
    ['AWS:x=y', /aws: prefix is reserved/],
    ['amibake:name=x', /amibake: prefix is reserved/],
    ['Name={name}', /tag key "Name" is set by amibake/],
    ['a=1,a=2', /given twice/],
    ['a={nmae}', /unknown placeholder \{nmae\}.*\{name\}/],
    ['{name}=x', /placeholders go in values only/],
    [`${'k'.repeat(129)}=v`, /longer than 128/],
    [`k=${'v'.repeat(257)}`, /longer than 256/],
    ['k=a\tb', /control character/],
  ])('rejects %j', (raw, message) => {
    expect(() => tagList(raw)).toThrow(message);
  });

  it('limits the number of tags so amibake’s own still fit in 50', () => {
    const many = Array.from({ length: 41 }, (_, n) => `k${n}=v`).join(',');
    expect(() => tagList(many)).toThrow(/at most 40 tags/);
    expect(tagList(many.split(',').slice(0, 40).join(','))).toHaveLength(40);
  });
});

describe('rendering', () => {
  it('fills every placeholder and leaves other braces alone', () => {
    const t = tagList('label={name}-{version},base={base_ami},run={run_id},built={date},json={"a":1}');
    expect(renderTags(t, ctx)).toEqual([
      { Key: 'label', Value: 'web-1.2.3' },
      { Key: 'base', Value: 'ami-0123456789abcdef0' },
      { Key: 'run', Value: '42-1' },
      { Key: 'built', Value: '2025-03-04' },
      { Key: 'json', Value: '{"a":1}' },
    ]);
  });

  it('fails with the key when a rendered value exceeds 256 characters', () => {
    const t = tagList(`long=${'x'.repeat(250)}{name}`);
    expect(() => renderTags(t, { ...ctx, name: 'abcdefghij' })).toThrow(UserError);
    expect(() => renderTags(t, { ...ctx, name: 'abcdefghij' })).toThrow(/tag "long".*260 characters/);
  });

  it('the lifecycle adds amibake’s own tags after the user’s: they cannot be overridden', () => {
    const extra = Object.fromEntries(
      renderTags(tagList('team=platform,built={date}'), {
        ...ctx,
      }).map((t) => [t.Key!, t.Value!]),
    );
    const input = {
      name: 'web',
      version: '7',
      amiName: 'web-7',
      runId: 'r1',
      clientToken: 'tok',
      digest: 'sha256:abc',
      baseAmi: 'ami-0123456789abcdef0',
      extra,
    };
    const image = imageTags(input);
    expect(image).toMatchObject({
      team: 'platform',
      built: '2025-03-04',
      [TAG.family]: 'web',
      [TAG.version]: '7',
      [TAG.digest]: 'sha256:abc',
      [TAG.baseAmi]: 'ami-0123456789abcdef0',
    });
    expect(runTags(input)).toMatchObject({ team: 'platform', [TAG.run]: 'r1' });
    // Even a tag the parser would refuse could not replace one of amibake's.
    expect(imageTags({ ...input, extra: { ...extra, [TAG.digest]: 'forged' } })[TAG.digest]).toBe(
      'sha256:abc',
    );
  });

  it('renders {date} as the UTC day of the bake', () => {
    const c = tagContext({
      name: 'web',
      version: '7',
      baseAmi: 'ami-1',
      runId: 'r',
      date: new Date('2025-12-31T23:30:00-02:00'),
    });
    expect(renderTags(tagList('built={date}'), c)).toEqual([{ Key: 'built', Value: '2026-01-01' }]);
  });
});
