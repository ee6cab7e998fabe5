import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);

// src/fronts/cli-prepare.ts
async function main(_args) {
  throw new Error("amibake prepare: not implemented yet");
}
export {
  main
};
