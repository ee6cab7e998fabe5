import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  STATE,
  cleanup,
  createEc2,
  readState
} from "../chunks/chunk-524K3RA3.js";
import {
  createActionLogger
} from "../chunks/chunk-YMZ4LQS6.js";
import {
  errorMessage
} from "../chunks/chunk-E4R6QE6L.js";
import "../chunks/chunk-O5IFNAIA.js";
import "../chunks/chunk-AD3J7GL7.js";
import {
  getState,
  warning
} from "../chunks/chunk-KLVQDTEW.js";
import "../chunks/chunk-TS5WFTQ5.js";

// src/fronts/action-build-post.ts
async function run() {
  const logger = await createActionLogger();
  try {
    const state = readState((key) => getState(key));
    const region = state[STATE.region];
    if (!region || !(state[STATE.launch] || state[STATE.instanceId] || state[STATE.imageName] || state[STATE.copies])) {
      logger.info("nothing was launched: nothing to clean up");
      return;
    }
    const report = await cleanup({
      ec2: createEc2(region),
      quick: createEc2(region, 2),
      logger,
      state,
      wait: true,
      images: true,
      // Main may have died before RunInstances answered: the instance shows up eventually.
      lookupSeconds: 60,
      waitSeconds: 600,
      delaySeconds: 5
    });
    if (!report.terminated.length && !report.left.length && !report.discardedImage)
      logger.info("nothing left to clean up");
  } catch (err) {
    warning(`cleanup: ${errorMessage(err)}`);
  }
}

// src/build-post/index.ts
run();
