import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  UserError
} from "./chunk-QCJIZORW.js";

// src/compile/interrupt.ts
var SIGNALS = { SIGINT: 130, SIGTERM: 143 };
var InterruptedError = class extends UserError {
  constructor(signalName) {
    super(`interrupted by ${signalName}: compile.sh stopped, temporary files removed, TARGET left as it was`);
    this.signalName = signalName;
  }
  signalName;
  name = "InterruptedError";
  /** The exit status of a process ended by the signal (128 + its number). */
  get exitCode() {
    return SIGNALS[this.signalName];
  }
};
async function interruptible(fn) {
  const controller = new AbortController();
  const handlers = Object.keys(SIGNALS).map((sig) => {
    const handler = () => controller.abort(new InterruptedError(sig));
    process.once(sig, handler);
    return [sig, handler];
  });
  try {
    return await fn(controller.signal);
  } finally {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  }
}

export {
  InterruptedError,
  interruptible
};
