/** The shape the build accepts of the package inventory an instance uploaded: the CycloneDX JSON
 *  the guest script writes, checked field by field (the instance could upload anything). */

/** Bytes read back at most: the instance decides the object's size. A Debian or RHEL server lists
 *  a few hundred to a few thousand packages, about 150 bytes each. */
export const MAX_SBOM_BYTES = 8 * 1024 * 1024;
/** Components accepted at most (a full desktop install lists about 5,000). */
export const MAX_COMPONENTS = 50_000;
/** Longest name or version accepted (dpkg, rpm and apk keep theirs far shorter). */
const MAX_FIELD = 1024;

export interface SbomSummary {
  specVersion: string;
  components: number;
}

/** The inventory's summary, or the reason it is refused (a sentence, no instance text in it). */
export function checkSbom(
  bytes: Uint8Array,
): { ok: true; summary: SbomSummary } | { ok: false; reason: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, reason: 'it is not UTF-8 JSON' };
  }
  if (!isObject(doc)) return { ok: false, reason: 'it is not a JSON object' };
  if (doc.bomFormat !== 'CycloneDX') return { ok: false, reason: 'its bomFormat is not "CycloneDX"' };
  if (typeof doc.specVersion !== 'string' || !/^1\.\d{1,2}$/.test(doc.specVersion))
    return { ok: false, reason: 'its specVersion is not 1.x' };
  const components = doc.components;
  if (!Array.isArray(components)) return { ok: false, reason: 'its components are not a list' };
  if (components.length > MAX_COMPONENTS)
    return { ok: false, reason: `it lists ${components.length} components, more than ${MAX_COMPONENTS}` };
  for (const [i, c] of components.entries()) {
    if (!isObject(c)) return { ok: false, reason: `component ${i} is not an object` };
    for (const field of ['name', 'version'] as const) {
      const v = c[field];
      if (typeof v !== 'string' || !v || v.length > MAX_FIELD)
        return {
          ok: false,
          reason: `component ${i} has no string ${field} (of 1 to ${MAX_FIELD} characters)`,
        };
    }
  }
  return { ok: true, summary: { specVersion: doc.specVersion, components: components.length } };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
