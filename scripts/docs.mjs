// `npm run docs`: regenerates the README option/output tables and action-*/action.yml from the
// options table (src/pipeline/docs.ts). test/docs.test.ts fails when they are out of date.
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';

const out = await build({
  entryPoints: ['src/pipeline/docs.ts'],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
});
const docs = await import(
  'data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64')
);
for (const [file, meta] of Object.entries(docs.ACTIONS)) await writeFile(file, docs.actionYml(meta));
await writeFile('README.md', docs.renderReadme(await readFile('README.md', 'utf8')));
console.log('README.md and action.yml files updated');
