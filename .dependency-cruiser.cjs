// dependency-cruiser's config (CommonJS: the tool loads it with require).

/**
 * The layers of src/ (`npm run depcruise`, a step of .ci/run). From the bottom up:
 *
 *   core                      options machinery, contract, logging: imports nothing else in src
 *   aws, engine, compile,     one AWS module per concept; the phase runner; prepare's compiler;
 *   disk                      the block format of a disk artifact (written by prepare, read by the build)
 *   features/*                the phases and their option slices (core, aws, engine, other features)
 *   vm                        the local VM that plays the instance (`amibake try`)
 *   pipeline*                 the composition roots: phases assembled from a config
 *   fronts                    CLI and actions: the only modules that know input and variable names
 *   {prepare,build,build-post,cli}/index.ts   thin entries, one bundle each: they call a front
 *
 * A module imports from its own layer or below, never up; no cycle between modules nor between
 * folders. `prepare` and `--help` load no AWS SDK: the options machinery, the compiler and the
 * prepare fronts cannot reach @aws-sdk (a lazy `import()` of another command is an edge too, so
 * these modules must not import such a command at all).
 *
 * Two passes (`npm run depcruise` runs both): the layers and cycles over every import, type-only
 * ones included (a type that runs up the layers couples them all the same); then, with
 * DEPCRUISE_PASS=runtime, the no-SDK rules over what runs: TypeScript erases `import type`, which
 * loads nothing.
 */
const RUNTIME_PASS = process.env.DEPCRUISE_PASS === 'runtime';

/** Paths (regular expressions) of each layer. */
const CORE = '^src/core/';
const AWS = '^src/aws/';
const ENGINE = '^src/engine/';
const FEATURES = '^src/features/';
const PIPELINE = '^src/pipeline[^/]*(/|\\.ts$)';
const COMPILE = '^src/compile/';
const DISK = '^src/disk/';
const VM = '^src/vm/';
const FRONTS = '^src/fronts/';
const ENTRIES = '^src/(prepare|build|build-post|cli)/index\\.ts$';
const SDK = '(^|/)node_modules/@aws-sdk/';

/** A layer may import only these (its own included), and nothing else in src/. */
function only(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { path: '^src/', pathNot: allowed },
  };
}

/** Modules that must not reach the AWS SDK through any chain of imports. */
function noSdk(name, from, comment) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: SDK, reachable: true } };
}

const layerRules = [
  {
    name: 'no-circular',
    comment:
      'A cycle between modules: one of them belongs lower, or the shared part belongs in its own module.',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'no-folder-cycles',
    comment: 'Two folders of src/ import each other: the layers (see the top of this file) run one way.',
    severity: 'error',
    scope: 'folder',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'no-test-imports',
    comment: 'Shipped code never imports test code.',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^test/' },
  },
  only('core-imports-nothing', CORE, [CORE], 'core is the bottom layer.'),
  only('aws-imports-core', AWS, [AWS, CORE], 'The AWS modules serve every feature and know none.'),
  only('engine-imports-core', ENGINE, [ENGINE, CORE], 'The engine knows nothing of its plug-ins.'),
  only('compile-imports-core', COMPILE, [COMPILE, CORE], "prepare's compiler: no AWS, no engine, no front."),
  only('disk-imports-core', DISK, [DISK, CORE], "the disk artifact's format: no AWS, no engine, no front."),
  only(
    'features-import-core-aws-engine',
    FEATURES,
    // disk: the build reads a disk artifact's blocks.
    [FEATURES, CORE, AWS, ENGINE, DISK],
    'A feature (its phases, its options) sits below the pipelines and the fronts.',
  ),
  only(
    'vm-imports-core-compile',
    VM,
    [VM, CORE, COMPILE, DISK],
    'The local VM plays the instance of a compiled source.',
  ),
  only(
    'pipelines-import-features-and-below',
    PIPELINE,
    // compile: the prepare stage's options join the others in the generated tables.
    [PIPELINE, FEATURES, ENGINE, AWS, COMPILE, DISK, CORE],
    'A pipeline composes features; the fronts call it.',
  ),
  only(
    'fronts-import-anything-below',
    FRONTS,
    [FRONTS, PIPELINE, FEATURES, ENGINE, AWS, COMPILE, DISK, VM, CORE],
    'A front may use any layer below it, never an entry.',
  ),
  only('entries-import-fronts', ENTRIES, [FRONTS], 'An entry is thin: it calls its front.'),
  {
    name: 'src-folders-are-layers',
    comment: 'Every module of src/ belongs to a layer above (or is a type declaration).',
    severity: 'error',
    from: {
      path: '^src/',
      pathNot: [CORE, AWS, ENGINE, FEATURES, PIPELINE, COMPILE, DISK, VM, FRONTS, ENTRIES, '\\.d\\.ts$'],
    },
    to: {},
  },
];

const runtimeRules = [
  noSdk(
    'options-load-no-sdk',
    `${CORE}options|^src/features/[^/]+/options\\.ts$`,
    'Option declarations are read by `--help` and by prepare: they must not pull in the AWS SDK.',
  ),
  noSdk('compile-loads-no-sdk', COMPILE, 'prepare compiles a source without AWS.'),
  noSdk('disk-loads-no-sdk', DISK, 'prepare writes a disk artifact without AWS.'),
  noSdk(
    'prepare-fronts-load-no-sdk',
    '^src/fronts/(cli|action)-prepare\\.ts$',
    'prepare runs without AWS: its fronts must not load the SDK.',
  ),
];

module.exports = {
  forbidden: RUNTIME_PASS ? runtimeRules : layerRules,
  options: {
    doNotFollow: { path: 'node_modules' },
    // false: the JavaScript TypeScript emits, without `import type`.
    tsPreCompilationDeps: !RUNTIME_PASS,
    tsConfig: { fileName: 'tsconfig.json' },
    // The guest scripts are imported as text (src/text-modules.d.ts).
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.sh'] },
    reporterOptions: {
      archi: { collapsePattern: '^src/[^/]+|node_modules/(@[^/]+/)?[^/]+' },
    },
  },
};
