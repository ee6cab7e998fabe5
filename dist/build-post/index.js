import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  STATE,
  cleanup,
  leftoverMessage,
  readState
} from "../chunks/chunk-XDRLR6GE.js";
import {
  createEc2
} from "../chunks/chunk-6ROUF3IT.js";
import {
  createActionLogger
} from "../chunks/chunk-CA7JAFHB.js";
import {
  errorMessage
} from "../chunks/chunk-QCJIZORW.js";
import "../chunks/chunk-O5IFNAIA.js";
import "../chunks/chunk-AD3J7GL7.js";
import {
  getState,
  setFailed
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
      // The runner gives a post step time; a throttled or failing TerminateInstances is retried.
      terminateSeconds: 300,
      waitSeconds: 600,
      delaySeconds: 5
    });
    const left = leftoverMessage(report);
    if (left) setFailed(left);
    else if (!report.terminated.length && !report.discardedImage && !report.keptImage)
      logger.info("nothing left to clean up");
  } catch (err) {
    setFailed(`cleanup: ${errorMessage(err)}`);
  }
}

// src/build-post/index.ts
run();
