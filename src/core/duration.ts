/** Durations such as `90d`, `6h`, `1w2d`, `45m` (units: m minutes, h hours, d days, w weeks). */
import type { Parser } from '../core/parse.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export interface Duration {
  ms: number;
  /** As the user wrote it, for messages and the summary. */
  text: string;
}

export function duration(minMs: number, maxMs: number): Parser<Duration> {
  return (raw) => {
    const text = raw.trim().toLowerCase();
    if (!/^(\d+[mhdw])+$/.test(text))
      throw new Error(`must be a duration such as 90d, 12h, 2w or 1d12h (got "${raw}")`);
    let ms = 0;
    for (const m of text.matchAll(/(\d+)([mhdw])/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
    if (ms < minMs) throw new Error(`must be at least ${formatMs(minMs)} (got "${raw}")`);
    if (ms > maxMs) throw new Error(`must be at most ${formatMs(maxMs)} (got "${raw}")`);
    return { ms, text };
  };
}

export function formatMs(ms: number): string {
  for (const [u, size] of [
    ['w', UNIT_MS.w],
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${u}`;
  return `${Math.round(ms / UNIT_MS.m)}m`;
}
