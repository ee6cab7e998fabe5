import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);

// src/fronts/action-build.ts
async function run() {
  throw new Error("not implemented");
}

// src/build/index.ts
run();
