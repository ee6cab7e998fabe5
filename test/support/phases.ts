/** The phase ids of a bake that launches an instance, in the order src/pipeline/phases.ts runs
 *  them: every test that lists a bake's phases builds its list around these. */
export const LAUNCHING = ['stage', 'launch', 'install', 'sbom', 'image', 'terminate'];
