/** The generated docs of the assembled options table: `npm run docs` (scripts/docs.mjs) writes
 *  the action.yml files and the tables in docs/*.md with these, test/docs.test.ts compares them. */
import * as docs from '../core/docs.js';
import { OPTIONS } from './options.js';

export const ACTIONS = docs.ACTIONS;
export const actionYml = (meta: docs.ActionMeta): string => docs.actionYml(OPTIONS, meta);
/** Fills the generated blocks a document under docs/ holds. */
export const renderDoc = (text: string): string => docs.renderDoc(OPTIONS, text);
export const BLOCKS = docs.blocks(OPTIONS);
export const optionsTable = (stage: 'prepare' | 'build'): string => docs.optionsTable(OPTIONS, stage);
