/** The generated docs of the assembled options table: `npm run docs` (scripts/docs.mjs) writes
 *  the action.yml files and README tables with these, test/docs.test.ts compares them. */
import * as docs from '../core/docs.js';
import { OPTIONS } from './options.js';

export const ACTIONS = docs.ACTIONS;
export const actionYml = (meta: docs.ActionMeta): string => docs.actionYml(OPTIONS, meta);
export const renderReadme = (readme: string): string => docs.renderReadme(OPTIONS, readme);
export const optionsTable = (stage: 'prepare' | 'build'): string => docs.optionsTable(OPTIONS, stage);
