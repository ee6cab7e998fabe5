/** The user's tag templates, rendered once the base image is known, on everything the bake makes
 *  (amibake's own tags win over them: src/features/bake/tags.ts). */
import type { BakeContext } from '../bake/context.js';
import { renderTags, tagContext, type TagTemplate } from './templates.js';

export function applyTags(templates: TagTemplate[]) {
  return (ctx: BakeContext): void => {
    const { cfg } = ctx;
    const rendered = renderTags(
      templates,
      tagContext({
        name: cfg.name,
        version: cfg.version,
        baseAmi: ctx.baseAmi,
        runId: cfg.runId,
        date: new Date(ctx.now()),
      }),
    );
    ctx.tags.extra = { ...ctx.tags.extra, ...Object.fromEntries(rendered.map((t) => [t.Key!, t.Value!])) };
    if (rendered.length)
      ctx.report.summary.push(['Tags', rendered.map((t) => `${t.Key}=${t.Value}`).join(', ')]);
  };
}
