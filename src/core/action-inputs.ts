/** Reads options from action inputs (the runner passes them as INPUT_<NAME> variables). */
import * as core from '@actions/core';
import type { OptionDef, ReadOptionsSource } from './options.js';

export function actionSource(): ReadOptionsSource {
  return {
    front: 'action',
    get: (def: OptionDef<unknown>) => (def.input ? core.getInput(def.input) : undefined),
  };
}
