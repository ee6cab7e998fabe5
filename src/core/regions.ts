/**
 * AWS regions as the SDK knows them (src/core/sdk-regions.ts, generated from the installed SDK's
 * endpoint partitions). A typo region would otherwise reach the SDK, which builds an endpoint for
 * any well-formed name, and fail late with an unclear network error; checked before any AWS call.
 */
import { SDK_REGIONS } from './sdk-regions.js';

const KNOWN = new Set(SDK_REGIONS);

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (`eats` → `east`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** The known region closest to `value`, when it is close enough to be a typo of it. */
export function closestRegion(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const r of SDK_REGIONS) {
    const d = editDistance(v, r);
    if (d < bestDistance) [best, bestDistance] = [r, d];
  }
  return bestDistance <= Math.max(2, Math.floor(v.length / 3)) ? best : undefined;
}

/** Why `value` is not a region, completing "<option>: ", or undefined when it is one. */
export function regionProblem(value: string): string | undefined {
  if (KNOWN.has(value)) return undefined;
  const guess = closestRegion(value);
  return (
    `"${value}" is not an AWS region the SDK knows` +
    (guess ? `: did you mean ${guess}?` : ' (regions look like us-east-1, eu-west-3, ap-northeast-1)')
  );
}
