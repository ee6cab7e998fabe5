import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);

// src/core/errors.ts
var UserError = class extends Error {
  name = "UserError";
};
var OptionError = class extends UserError {
  constructor(problems) {
    super(problems.length === 1 ? problems[0] : `invalid options:
  ${problems.join("\n  ")}`);
    this.problems = problems;
  }
  problems;
  name = "OptionError";
};
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

export {
  UserError,
  OptionError,
  errorMessage
};
