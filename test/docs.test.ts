import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { parse } from 'yaml';
import { ACTIONS, BLOCKS, actionYml, renderDoc } from '../src/pipeline/docs.js';
import { OPTIONS } from '../src/pipeline/options.js';

const DOCS = readdirSync('docs')
  .filter((f) => f.endsWith('.md'))
  .map((f) => join('docs', f));
/** Every document a reader can reach from the README. */
const MARKDOWN = ['README.md', 'ARCHITECTURE.md', 'SECURITY.md', 'CHANGELOG.md', ...DOCS];

describe('generated documentation', () => {
  it.each(DOCS)('%s: its option and output tables match the options table (run `npm run docs`)', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(renderDoc(text)).toBe(text);
  });

  it('every generated table is in exactly one document under docs/', () => {
    const where = Object.keys(BLOCKS).map((block) => [
      block,
      DOCS.filter((file) => readFileSync(file, 'utf8').includes(`<!-- ${block} -->`)),
    ]);
    expect(where.filter(([, files]) => files.length !== 1)).toEqual([]);
    // The README is a front page: it links to the tables instead of holding them.
    const readme = readFileSync('README.md', 'utf8');
    expect(Object.keys(BLOCKS).filter((block) => readme.includes(`<!-- ${block} -->`))).toEqual([]);
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

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces become hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The text outside fenced code blocks. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```$/gm, '');

function anchors(file: string): Set<string> {
  const headings = [...prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)];
  return new Set(headings.map((m) => slug(m[1])));
}

describe('links between the documents', () => {
  it.each(MARKDOWN.filter((f) => existsSync(f)))(
    '%s: every relative link reaches a file and a heading',
    (file) => {
      const links = [...prose(readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1])
        .filter((l) => !/^[a-z]+:/.test(l));
      const broken = links.filter((link) => {
        const [path, anchor] = link.split('#');
        const target = path ? normalize(join(dirname(file), path)) : file;
        if (!existsSync(target)) return true;
        return anchor !== undefined && target.endsWith('.md') && !anchors(target).has(anchor);
      });
      expect(broken).toEqual([]);
    },
  );

  it('the README reaches every document under docs/ and ARCHITECTURE.md', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const file of [...DOCS, 'ARCHITECTURE.md']) expect(readme).toContain(`](${file})`);
  });
});

describe("the README's minimal workflow", () => {
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf('## In GitHub Actions');
  const yaml = /^```yaml\n([\s\S]*?)^```$/m.exec(readme.slice(at))?.[1];
  type Step = { uses?: string; with?: Record<string, unknown> };
  const jobs = (parse(yaml ?? '') as { jobs: Record<string, { needs?: string; steps: Step[] }> })?.jobs;

  it('is two jobs, the build after the prepare', () => {
    expect(at).toBeGreaterThan(0);
    expect(Object.keys(jobs)).toEqual(['prepare', 'build']);
    expect(jobs.build.needs).toBe('prepare');
  });

  it('gives each action real inputs, every required one included', () => {
    const steps = Object.values(jobs).flatMap((j) => j.steps);
    const ours = steps.filter((s) => /\/action-(prepare|build)@/.test(s.uses ?? ''));
    expect(ours).toHaveLength(2);
    for (const step of ours) {
      const action = /\/(action-[a-z]+)@/.exec(step.uses!)![1];
      const inputs = parse(readFileSync(join(action, 'action.yml'), 'utf8')).inputs as Record<
        string,
        { required?: boolean }
      >;
      expect(Object.keys(step.with ?? {}).filter((k) => !(k in inputs))).toEqual([]);
      const required = Object.keys(inputs).filter((k) => inputs[k].required);
      expect(required.filter((k) => !(k in (step.with ?? {})))).toEqual([]);
    }
  });
});
