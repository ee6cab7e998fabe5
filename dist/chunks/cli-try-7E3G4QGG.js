import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);

// src/fronts/cli-try.ts
async function main(_args) {
  throw new Error("amibake try: not implemented yet");
}
export {
  main
};
