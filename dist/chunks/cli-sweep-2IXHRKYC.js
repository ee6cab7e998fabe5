import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);

// src/fronts/cli-sweep.ts
async function main(_args) {
  throw new Error("amibake sweep: not implemented yet");
}
export {
  main
};
