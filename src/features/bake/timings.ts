/**
 * Time to AMI, as the bake reports it: one log line per phase as it ends, a table at the end, a
 * Mermaid gantt chart for the job summary (GitHub renders it) and the `timings` output (JSON).
 * Every phase the engine ran is listed, with the spans it marked: a phase added later appears by
 * itself.
 */
import type { PhaseTiming, SpanTiming } from '../../engine/timings.js';

/** Seconds as people read them: tenths under 10 s, whole seconds, then minutes and hours. */
export function formatDuration(seconds: number): string {
  if (seconds < 9.95) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The log line of a phase that ended: its time, and its spans' in parentheses. */
export function phaseLine(t: PhaseTiming): string {
  const spans = t.spans.map((s) => `${s.title} ${formatDuration(s.seconds)}`).join(', ');
  return `${t.title}: ${formatDuration(t.seconds)}${spans ? ` (${spans})` : ''}`;
}

/** Rows [label, duration]: each phase, its spans below it (marked ↳), the total. */
export function timingRows(timings: readonly PhaseTiming[]): [string, string][] {
  const rows: [string, string][] = [];
  for (const t of timings) {
    rows.push([t.title, formatDuration(t.seconds)]);
    for (const s of t.spans) rows.push([`↳ ${s.title}`, formatDuration(s.seconds)]);
  }
  rows.push(['Total', formatDuration(timings.reduce((a, t) => a + t.seconds, 0))]);
  return rows;
}

/** The table the log ends with. */
export function timingsText(timings: readonly PhaseTiming[]): string {
  const rows = timingRows(timings);
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['Time to AMI:', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v.padStart(10)}`)].join('\n');
}

/** One entry of the `timings` output. Times are ISO 8601 (UTC), lengths in seconds (ms precision). */
export interface TimingEntry {
  phase: string;
  title: string;
  start: string;
  seconds: number;
  spans: { span: string; title: string; start: string; seconds: number; wait: boolean }[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (s: number) => Math.round(s * 1000) / 1000;

export function timingEntries(timings: readonly PhaseTiming[]): TimingEntry[] {
  return timings.map((t) => ({
    phase: t.phase,
    title: t.title,
    start: iso(t.start),
    seconds: round(t.seconds),
    spans: t.spans.map((s) => ({
      span: s.id,
      title: s.title,
      start: iso(s.start),
      seconds: round(s.seconds),
      wait: s.wait,
    })),
  }));
}

/** The `timings` output and the output file's TIMINGS: one line of JSON. */
export function timingsJson(timings: readonly PhaseTiming[]): string {
  return JSON.stringify(timingEntries(timings));
}

/**
 * A task name Mermaid cannot misread: `:` ends it, `;` ends a statement, `#` starts an entity,
 * `%%` a comment, a backquote could close the code fence, and a line break ends the line.
 */
export function ganttLabel(title: string, fallback: string): string {
  const clean = title
    .replace(/[:;#%`<>\\]/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean || fallback;
}

function bar(label: string, t: { start: number; seconds: number }, failed = false): string {
  // Epoch milliseconds (dateFormat x); a bar of 0 ms is given 1 so that Mermaid draws it.
  const end = Math.max(t.start + Math.round(t.seconds * 1000), t.start + 1);
  // `crit` draws the phase that failed in red.
  return `    ${label} :${failed ? 'crit, ' : ''}${t.start}, ${end}`;
}

/**
 * The timeline as a Mermaid gantt chart in a Markdown code block: a "Phases" section with one bar
 * per phase at its real start and end, then a section per phase that marked spans (the
 * instance's states, the AMI's wait). Starts with a blank line: after an HTML block (the summary's
 * table) Markdown needs one before a code fence.
 */
export function ganttMarkdown(timings: readonly PhaseTiming[], title = 'Time to AMI'): string {
  const lines = [
    '',
    '```mermaid',
    'gantt',
    `    title ${ganttLabel(title, 'Timeline')}`,
    '    dateFormat x',
    '    axisFormat %H:%M:%S',
    '    todayMarker off',
    '    section Phases',
    ...timings.map((t) => bar(ganttLabel(t.title, t.phase), t, !t.ok)),
  ];
  for (const t of timings) {
    if (!t.spans.length) continue;
    lines.push(`    section ${ganttLabel(t.title, t.phase)}`);
    lines.push(...t.spans.map((s: SpanTiming) => bar(ganttLabel(s.title, s.id), s)));
  }
  lines.push('```', '');
  return lines.join('\n');
}
