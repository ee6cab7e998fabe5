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

// src/core/inert.ts
import { randomBytes } from "node:crypto";
var LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*/;
function runnerLines(text) {
  return text.split(/\r\n|\r|\n/);
}
function neutraliseLine(line) {
  const lead = LEADING_SPACE.exec(line)[0];
  let out = line.startsWith("::", lead.length) ? `${lead}\u200B${line.slice(lead.length)}` : line;
  out = out.split("##[").join("##\u200B[");
  return out;
}
function neutralise(text) {
  const lines = runnerLines(text.replace(/(\r\n|\r|\n)$/, ""));
  return lines.map(neutraliseLine);
}
function stopToken(guarded) {
  for (; ; ) {
    const token = `amibake-${randomBytes(16).toString("hex")}`;
    if (!guarded.toLowerCase().includes(token)) return token;
  }
}
function inertBlock(text, commands) {
  const lines = neutralise(text);
  if (!commands) return lines;
  const token = stopToken(text);
  return [`::stop-commands::${token}`, ...lines, `::${token}::`];
}

export {
  UserError,
  OptionError,
  errorMessage,
  neutraliseLine,
  neutralise,
  inertBlock
};
