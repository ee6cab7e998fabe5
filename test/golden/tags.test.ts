import { describe, expect, it } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { imageTags, renderTags, runTags, tagList, TAG } from '../../src/golden/tags.js';

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
    const t = tagList('Name={name}-{version},base={base_ami},run={run_id},built={date},json={"a":1}');
    expect(renderTags(t, ctx)).toEqual([
      { Key: 'Name', Value: 'web-1.2.3' },
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

  it('always adds amibake’s own tags to the AMI tags, after the user’s', () => {
    const tags = imageTags({
      templates: tagList('team=platform,Name={name}'),
      name: 'web',
      version: '7',
      digest: 'sha256:abc',
      baseAmi: 'ami-0123456789abcdef0',
      runId: 'r1',
      date: new Date('2025-01-02T03:04:05Z'),
    });
    expect(tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'Name', Value: 'web' },
      { Key: TAG.name, Value: 'web' },
      { Key: TAG.version, Value: '7' },
      { Key: TAG.digest, Value: 'sha256:abc' },
      { Key: TAG.baseAmi, Value: 'ami-0123456789abcdef0' },
    ]);
    // Without user tags the own tags are still all there.
    const bare = imageTags({
      templates: [],
      name: 'web',
      version: '7',
      digest: 'd',
      baseAmi: 'ami-1',
      runId: 'r',
      date: new Date(),
    });
    expect(bare.map((t) => t.Key)).toEqual([TAG.name, TAG.version, TAG.digest, TAG.baseAmi]);
  });

  it('renders {date} as the UTC day and tags the instance with the run’s values', () => {
    const tags = runTags({
      templates: tagList('built={date}'),
      name: 'web',
      version: '7',
      baseAmi: 'ami-1',
      runId: 'r',
      date: new Date('2025-12-31T23:30:00-02:00'),
    });
    expect(tags[0]).toEqual({ Key: 'built', Value: '2026-01-01' });
    expect(tags.map((t) => t.Key)).toContain(TAG.baseAmi);
  });
});
