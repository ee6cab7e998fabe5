/** Renders the option and output tables into docs/*.md and the action.yml files, so that the
 *  documentation cannot drift from the options table (a test compares them). The table is the
 *  composition root's (src/pipeline/docs.ts binds it; `npm run docs` runs that). */
import type { OptionDef, OptionTable, Stage } from './options.js';
import { BUILD_OUTPUTS, PREPARE_OUTPUTS, type OutputTable } from './outputs.js';

const defs = (options: OptionTable, stage: Stage) =>
  (Object.values(options) as OptionDef<unknown>[]).filter((d) =>
    (d.stages as readonly Stage[]).includes(stage),
  );

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function optionsTable(options: OptionTable, stage: Stage): string {
  const rows = defs(options, stage).map((d) => {
    const dflt = d.required ? '**required**' : d.default !== undefined ? `\`${d.default}\`` : '';
    const input = d.input ? `\`${d.input}\`` : '(CLI only)';
    const env = d.env ? `\`${d.env}\`` : '(action only)';
    return `| ${input} | ${env} | ${dflt} | ${cell(d.description)} |`;
  });
  return [
    '| Action input | CLI variable | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function outputsTable(outputs: OutputTable): string {
  const rows = Object.values(outputs).map((o) => `| \`${o.name}\` | ${cell(o.description)} |`);
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

const yamlString = (s: string) => JSON.stringify(s);

export interface ActionMeta {
  stage: Stage;
  name: string;
  description: string;
  outputs: OutputTable;
  runs: string;
}

export const ACTIONS: Record<string, ActionMeta> = {
  'action-prepare/action.yml': {
    stage: 'prepare',
    name: 'amibake prepare',
    description:
      'Compile an image source into cloud-init user data and upload it as an artifact. Needs no cloud credentials.',
    outputs: PREPARE_OUTPUTS,
    runs: 'runs:\n  using: node24\n  main: ../dist/prepare/index.js\n',
  },
  'action-build/action.yml': {
    stage: 'build',
    name: 'amibake build',
    description:
      'Bake an AMI from prepared cloud-init user data. The post step always terminates the temporary instance.',
    outputs: BUILD_OUTPUTS,
    // No post-if: the post step must run after success, failure and cancellation alike.
    runs: 'runs:\n  using: node24\n  main: ../dist/build/index.js\n  post: ../dist/build-post/index.js\n',
  },
};

export function actionYml(options: OptionTable, meta: ActionMeta): string {
  const inputs = defs(options, meta.stage)
    .filter((d) => d.input)
    .map((d) => {
      let s = `  ${d.input}:\n    description: ${yamlString(d.description)}\n    required: ${d.required ? 'true' : 'false'}\n`;
      if (d.default !== undefined) s += `    default: ${yamlString(d.default)}\n`;
      return s;
    })
    .join('');
  const outputs = Object.values(meta.outputs)
    .map((o) => `  ${o.name}:\n    description: ${yamlString(o.description)}\n`)
    .join('');
  return (
    '# Generated from the options table (src/pipeline/options.ts) and src/core/outputs.ts by `npm run docs`.\n' +
    `name: ${yamlString(meta.name)}\ndescription: ${yamlString(meta.description)}\nauthor: amibake\n` +
    `branding:\n  icon: package\n  color: orange\ninputs:\n${inputs}outputs:\n${outputs}${meta.runs}`
  );
}

/** Replaces the content between `<!-- NAME -->` and `<!-- /NAME -->`. */
export function replaceBlock(text: string, name: string, body: string): string {
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a < 0 || b < a) throw new Error(`no ${open} … ${close} block`);
  return text.slice(0, a + open.length) + '\n' + body + '\n' + text.slice(b);
}

/** The generated blocks, by marker name. Each lives in one document under docs/, whichever holds
 *  its `<!-- NAME -->` marker, so a table moves between documents without a code change. */
export const blocks = (options: OptionTable): Record<string, () => string> => ({
  'options:prepare': () => optionsTable(options, 'prepare'),
  'outputs:prepare': () => outputsTable(PREPARE_OUTPUTS),
  'options:build': () => optionsTable(options, 'build'),
  'outputs:build': () => outputsTable(BUILD_OUTPUTS),
});

/** Fills the generated blocks a document holds (any of BLOCKS, or none). */
export function renderDoc(options: OptionTable, text: string): string {
  let out = text;
  for (const [name, body] of Object.entries(blocks(options)))
    if (out.includes(`<!-- ${name} -->`)) out = replaceBlock(out, name, body());
  return out;
}
