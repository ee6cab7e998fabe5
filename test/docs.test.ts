import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ACTIONS, actionYml, renderReadme } from '../src/pipeline/docs.js';
import { OPTIONS } from '../src/pipeline/options.js';

describe('generated documentation', () => {
  it('README option and output tables match src/core/options.ts (run `npm run docs`)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(renderReadme(readme)).toBe(readme);
  });

  it.each(Object.keys(ACTIONS))('%s matches the options table (run `npm run docs`)', (file) => {
    expect(readFileSync(file, 'utf8')).toBe(actionYml(ACTIONS[file]));
  });

  it.each(Object.keys(ACTIONS))('%s runs node24 from dist/ and has no post-if', (file) => {
    const doc = parse(readFileSync(file, 'utf8'));
    expect(doc.runs.using).toBe('node24');
    expect(doc.runs.main).toMatch(/^\.\.\/dist\/[a-z-]+\/index\.js$/);
    expect(doc.runs).not.toHaveProperty('post-if');
    if (doc.runs.post) expect(doc.runs.post).toBe('../dist/build-post/index.js');
  });

  it('every action input is kebab-case and every CLI variable upper snake case', () => {
    for (const def of Object.values(OPTIONS) as { input?: string; env?: string }[]) {
      if (def.input) expect(def.input).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      if (def.env) expect(def.env).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
  });
});
