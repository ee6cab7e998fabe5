/** The prepare core, for every front (CLI, action, `amibake try`). */
export { prepare, USERDATA_BUDGET, USERDATA_FILE, FS_TGZ_FILE, VARS_FILE } from './prepare.js';
export type { PrepareInput, PrepareResult } from './prepare.js';
export { VARS } from './vars.js';
export { GENERATED, GUEST_SCRIPT, FS_STAGE, guestScript, type FsMode } from './generated.js';
export { VARS_FILE_ENV } from './workdir.js';
