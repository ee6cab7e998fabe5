// `npm run docs`: regenerates action-*/action.yml and the option/output tables in docs/*.md (each
// table between its `<!-- NAME -->` markers, in whichever document holds them) from the options
// table (src/pipeline/docs.ts). test/docs.test.ts fails when they are out of date.
import { build } from 'esbuild';
import { readFile, readdir, writeFile } from 'node:fs/promises';

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
const written = [];
for (const name of (await readdir('docs')).filter((f) => f.endsWith('.md')).sort()) {
  const file = `docs/${name}`;
  const text = await readFile(file, 'utf8');
  const rendered = docs.renderDoc(text);
  if (rendered !== text) await writeFile(file, rendered);
  if (Object.keys(docs.BLOCKS).some((block) => text.includes(`<!-- ${block} -->`))) written.push(file);
}
console.log(`action.yml files and the tables in ${written.join(', ')} updated`);
