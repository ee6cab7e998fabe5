import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);

// src/fronts/action-build-post.ts
async function run() {
  throw new Error("not implemented");
}

// src/build-post/index.ts
run();
