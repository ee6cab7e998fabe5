#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 4296:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   KT: () => (/* binding */ named),
/* harmony export */   ab: () => (/* binding */ msg),
/* harmony export */   eR: () => (/* binding */ OptionError),
/* harmony export */   gJ: () => (/* binding */ errorMessage),
/* harmony export */   m7: () => (/* binding */ opt),
/* harmony export */   oE: () => (/* binding */ compact),
/* harmony export */   yo: () => (/* binding */ UserError)
/* harmony export */ });
/* unused harmony exports render, renderError */
/**
 * Errors the user can fix. The domain names an option by its key (`opt('baseAmi')` in a
 * `msg` template); only a front knows what the user calls it (`input 'base-ami'`, `BUILDAMI_BASEAMI`)
 * and renders the message with `err.render(nameFor)`. The default `message` shows the key itself.
 */
const opt = (key, argument) => argument ? { option: key, argument } : { option: key };
const isRef = (v) => typeof v === 'object' && v !== null && typeof v.option === 'string';
/** A message template: option refs stay parts, part lists holding a ref are spliced in, the rest
 *  is text (as in a template literal). */
function msg(strings, ...values) {
    const out = [strings[0]];
    values.forEach((v, i) => {
        if (isRef(v))
            out.push(v);
        else if (Array.isArray(v) && v.some(isRef))
            out.push(...v);
        else
            out.push(String(v));
        out.push(strings[i + 1]);
    });
    return out.filter((p) => p !== '');
}
/** Parts that name no option, as one string (what a caller passing names as text gets back). */
function compact(parts) {
    return parts.every((p) => typeof p === 'string') ? parts.join('') : parts;
}
function render(parts, nameFor = (k) => k) {
    return typeof parts === 'string' ? parts : parts.map((p) => (isRef(p) ? nameFor(p.option, p) : p)).join('');
}
/** An error the user can fix: printed as-is, without a stack trace, and the process exits non-zero. */
class UserError extends Error {
    name = 'UserError';
    parts;
    constructor(message) {
        super(render(message));
        this.parts = typeof message === 'string' ? [message] : message;
    }
    /** The message as parts: option refs for a front to render. */
    get messageParts() {
        return [...this.parts];
    }
    render(nameFor) {
        return render(this.parts, nameFor);
    }
    /** The names `message` renders the option refs with (a front's, or machinery that knows the
     *  front: readOptions); the keys themselves until then. */
    names;
    /** Renders `message` with a front's names from now on (the refs stay, for `render`). */
    named(nameFor) {
        this.names = nameFor;
        this.message = this.render(nameFor);
        return this;
    }
    /** Adds text to the message (what recovery left), keeping the option refs. */
    append(text) {
        this.parts = [...this.parts, text];
        this.message = this.render(this.names ?? ((k) => k));
        return this;
    }
}
/** One or more options were invalid; each problem names its option by key. */
class OptionError extends UserError {
    name = 'OptionError';
    items;
    constructor(problems) {
        const items = problems.map((p) => (typeof p === 'string' ? [p] : p));
        super(OptionError.join(items.map((p) => render(p))));
        this.items = items;
    }
    /** The problems as text, rendered like `message`. */
    get problems() {
        return this.items.map((p) => render(p, this.names));
    }
    static join(problems) {
        return problems.length === 1 ? problems[0] : `invalid options:\n  ${problems.join('\n  ')}`;
    }
    render(nameFor) {
        const text = OptionError.join(this.items.map((p) => render(p, nameFor)));
        // Text appended after construction (recovery's leftovers) follows.
        return text + render(this.parts.slice(1), nameFor);
    }
}
function errorMessage(err) {
    return err instanceof Error ? err.message : String(err);
}
/** The message of `err` as a front shows it: option keys rendered with `nameFor`. */
function renderError(err, nameFor) {
    return err instanceof UserError ? err.render(nameFor) : errorMessage(err);
}
/** `err`, its message rendered with a front's names when it is a UserError (a front rethrows it). */
function named(err, nameFor) {
    if (err instanceof UserError)
        err.named(nameFor);
    return err;
}


/***/ }),

/***/ 8275:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $0: () => (/* binding */ neutralise),
/* harmony export */   WC: () => (/* binding */ inertBlock),
/* harmony export */   fZ: () => (/* binding */ neutraliseLine)
/* harmony export */ });
/* unused harmony exports runnerLines, stopToken */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * Text from the build instance (its console, its install log) printed so that the GitHub runner
 * cannot take any of it for a workflow command.
 *
 * The runner (actions/runner, ActionCommandManager.cs and ActionCommand.cs) reads a step's output
 * line by line (.NET ReadLine: `\n`, `\r` or `\r\n` end a line) and acts on a line when
 *   - after `TrimStart()` (every char.IsWhiteSpace character: U+0085, U+00A0, U+2028, ...) it
 *     starts with `::name ...::` and `name` is a registered command, or
 *   - it holds `##[name ...]` anywhere (the legacy syntax), `name` registered.
 * `::stop-commands::TOKEN` turns all of that off until a line `::TOKEN::` (or `##[TOKEN]`): that
 * is the defence, with a token drawn after the text it guards was read, so the text cannot hold
 * it. Each line is also neutralised on its own (defence in depth: a runner that stopped honouring
 * stop-commands, or a token that leaked).
 */

/** Every character .NET's char.IsWhiteSpace accepts (what TrimStart strips), plus U+FEFF, which
 *  .NET Framework trimmed and JavaScript's \s matches, and U+180E, whitespace in older Unicode. */
const LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*/;
/** The lines the runner sees in `text`. */
function runnerLines(text) {
    return text.split(/\r\n|\r|\n/);
}
/** One line (no line break) made plain text for the runner: a zero-width space (not whitespace to
 *  .NET) in front of a leading `::`, and inside every `##[`. It reads the same in the log. */
function neutraliseLine(line) {
    const lead = LEADING_SPACE.exec(line)[0];
    let out = line.startsWith('::', lead.length) ? `${lead}\u200b${line.slice(lead.length)}` : line;
    out = out.split('##[').join('##\u200b[');
    return out;
}
/** `text` as neutralised lines (a trailing line break does not make an empty last line). */
function neutralise(text) {
    const lines = runnerLines(text.replace(/(\r\n|\r|\n)$/, ''));
    return lines.map(neutraliseLine);
}
/** A fresh stop-commands token: 128 random bits, hex (the runner compares it case-insensitively),
 *  never one that occurs in the text it guards. */
function stopToken(guarded) {
    for (;;) {
        const token = `amibake-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(16).toString('hex')}`;
        if (!guarded.toLowerCase().includes(token))
            return token;
    }
}
/** The lines of an inert block: `::stop-commands::TOKEN`, the neutralised text, `::TOKEN::`.
 *  Without `commands` (not under the GitHub runner), the neutralised text alone. */
function inertBlock(text, commands) {
    const lines = neutralise(text);
    if (!commands)
        return lines;
    const token = stopToken(text);
    return [`::stop-commands::${token}`, ...lines, `::${token}::`];
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 6466:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: ./src/core/inert.ts
var inert = __nccwpck_require__(8275);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __nccwpck_require__(4296);
;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"0.1.0"};
;// CONCATENATED MODULE: ./src/fronts/cli.ts
/** `amibake <command>`: the CLI front for Jenkins and any other CI. Commands live in their own modules. */



const USAGE = `usage:
  amibake prepare SOURCE TARGET                 compile an image source (env: AWSREGION, S3URL)
  amibake build [USERDATA [NAME [VERSION]]]     bake the AMI (env: BUILDAMI_*)
  amibake try SOURCE [--image FILE] [--keep DIR]  bake SOURCE in a local VM, no AWS account needed
  amibake sweep                                 terminate leaked instances, finish AMIs (env: BUILDAMI_*)
  amibake --version                             print amibake's version

Run 'amibake <command> --help' for the command's options.`;
const COMMANDS = {
    prepare: async () => (await Promise.all(/* import() */[__nccwpck_require__.e(815), __nccwpck_require__.e(324), __nccwpck_require__.e(758), __nccwpck_require__.e(489), __nccwpck_require__.e(351)]).then(__nccwpck_require__.bind(__nccwpck_require__, 3351))).main,
    build: async () => (await Promise.all(/* import() */[__nccwpck_require__.e(758), __nccwpck_require__.e(416), __nccwpck_require__.e(501)]).then(__nccwpck_require__.bind(__nccwpck_require__, 7501))).main,
    try: async () => (await Promise.all(/* import() */[__nccwpck_require__.e(815), __nccwpck_require__.e(324), __nccwpck_require__.e(758), __nccwpck_require__.e(489), __nccwpck_require__.e(281)]).then(__nccwpck_require__.bind(__nccwpck_require__, 5281))).main,
    sweep: async () => (await Promise.all(/* import() */[__nccwpck_require__.e(416), __nccwpck_require__.e(713)]).then(__nccwpck_require__.bind(__nccwpck_require__, 4327))).main,
};
async function run(argv = process.argv.slice(2)) {
    const [name, ...args] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
        process.stdout.write(USAGE + '\n');
        process.exitCode = name ? 0 : 2;
        return;
    }
    if (name === '--version' || name === 'version') {
        process.stdout.write(`${package_namespaceObject.rE}\n`);
        return;
    }
    const load = COMMANDS[name];
    if (!load) {
        process.stderr.write(`amibake: unknown command '${name}'\n${USAGE}\n`);
        process.exitCode = 2;
        return;
    }
    try {
        process.exitCode = await (await load())(args);
    }
    catch (err) {
        // An error can quote the artifact (a value of vars.env): printed as plain text for a runner.
        process.stderr.write(`${(0,inert/* neutralise */.$0)(`amibake ${name}: ${(0,errors/* errorMessage */.gJ)(err)}`).join('\n')}\n`);
        if (!(err instanceof errors/* UserError */.yo) && process.env.AMIBAKE_DEBUG)
            process.stderr.write(`${err.stack}\n`);
        process.exitCode = 1;
    }
}

;// CONCATENATED MODULE: ./src/cli/index.ts

run();

