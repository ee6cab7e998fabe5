/** Time to AMI as reported: the gantt chart (valid Mermaid shape, one bar per phase, titles
 *  that cannot break it), the `timings` JSON, the log line and table; and the polls' backoff. */
import { describe, expect, test } from '@jest/globals';
import { FIRST_POLL_MS, pollBackoff } from '../../src/aws/poll.js';
import type { PhaseTiming } from '../../src/engine/timings.js';
import {
  formatDuration,
  ganttLabel,
  ganttMarkdown,
  phaseLine,
  timingEntries,
  timingsJson,
  timingsText,
} from '../../src/features/bake/timings.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const timings: PhaseTiming[] = [
  { phase: 'golden-base', title: 'Resolve base image', start: T0, seconds: 0.4, ok: true, spans: [] },
  {
    phase: 'install',
    title: 'Install (until stopped)',
    start: T0 + 400,
    seconds: 200.25,
    ok: true,
    spans: [
      { id: 'running', title: 'Launch to running', start: T0 + 400, seconds: 20, wait: true },
      { id: 'install', title: 'Install', start: T0 + 20_400, seconds: 170, wait: true },
      { id: 'stop', title: 'Stop', start: T0 + 190_400, seconds: 10.25, wait: true },
    ],
  },
  {
    phase: 'test',
    title: 'Test: boot the AMI; check #1 `x`',
    start: T0 + 200_650,
    seconds: 0,
    ok: true,
    spans: [],
  },
];

/** The lines of the chart between the fences, and its bars ("name :start, end"). */
function parseGantt(md: string) {
  const m = /^\n```mermaid\n([\s\S]*)\n```\n$/.exec(md);
  expect(m).not.toBeNull();
  const lines = m![1].split('\n');
  const sections: { name: string; bars: { name: string; start: number; end: number }[] }[] = [];
  for (const line of lines.slice(1)) {
    const section = /^ {4}section (.+)$/.exec(line);
    const bar = /^ {4}([^:;#`\n]+) :(\d+), (\d+)$/.exec(line);
    if (section) sections.push({ name: section[1], bars: [] });
    else if (bar) sections.at(-1)!.bars.push({ name: bar[1], start: Number(bar[2]), end: Number(bar[3]) });
    else expect(line).toMatch(/^ {4}(title [^:;#`]+|dateFormat x|axisFormat %H:%M:%S|todayMarker off)$/);
  }
  return { first: lines[0], sections };
}

describe('the gantt chart', () => {
  test('a Mermaid gantt block: one bar per phase at its real start and end, then the spans', () => {
    const g = parseGantt(ganttMarkdown(timings));
    expect(g.first).toBe('gantt');
    expect(g.sections.map((s) => s.name)).toEqual(['Phases', 'Install (until stopped)']);
    expect(g.sections[0].bars).toEqual([
      { name: 'Resolve base image', start: T0, end: T0 + 400 },
      { name: 'Install (until stopped)', start: T0 + 400, end: T0 + 200_650 },
      // A phase of 0 ms still gets a bar Mermaid draws.
      { name: 'Test boot the AMI check 1 x', start: T0 + 200_650, end: T0 + 200_651 },
    ]);
    expect(g.sections[1].bars.map((b) => [b.name, b.end - b.start])).toEqual([
      ['Launch to running', 20_000],
      ['Install', 170_000],
      ['Stop', 10_250],
    ]);
  });

  test('titles cannot end the task name, the statement, the line or the code fence', () => {
    expect(ganttLabel('a: b; c # d %% e `f` <g>\nh\u2028i', 'x')).toBe('a b c d e f g h i');
    expect(ganttLabel(':;#', 'fallback')).toBe('fallback');
    const md = ganttMarkdown([{ ...timings[0], title: 'evil\n```\n:1, 2' }]);
    expect(md.match(/```/g)).toHaveLength(2);
    expect(parseGantt(md).sections[0].bars.map((b) => b.name)).toEqual(['evil 1, 2']);
  });

  test('no phase, no bar (still a valid chart)', () => {
    expect(parseGantt(ganttMarkdown([])).sections).toEqual([{ name: 'Phases', bars: [] }]);
  });
});

describe('the timings output', () => {
  test('JSON: phase, title, ISO start, seconds (ms precision), spans with their wait flag', () => {
    const parsed = JSON.parse(timingsJson(timings));
    expect(parsed).toEqual(timingEntries(timings));
    expect(parsed[1]).toEqual({
      phase: 'install',
      title: 'Install (until stopped)',
      start: '2026-12-01T12:00:00.400Z',
      seconds: 200.25,
      spans: [
        {
          span: 'running',
          title: 'Launch to running',
          start: '2026-12-01T12:00:00.400Z',
          seconds: 20,
          wait: true,
        },
        { span: 'install', title: 'Install', start: '2026-12-01T12:00:20.400Z', seconds: 170, wait: true },
        { span: 'stop', title: 'Stop', start: '2026-12-01T12:03:10.400Z', seconds: 10.25, wait: true },
      ],
    });
    expect(JSON.parse(timingsJson([{ ...timings[0], seconds: 1 / 3 }]))[0].seconds).toBe(0.333);
    expect(timingsJson(timings)).not.toContain('\n');
  });

  test('the log: a line per phase with its spans, and the table at the end', () => {
    expect(phaseLine(timings[1])).toBe(
      'Install (until stopped): 3 min 20 s (Launch to running 20 s, Install 2 min 50 s, Stop 10 s)',
    );
    expect(phaseLine(timings[0])).toBe('Resolve base image: 0.4 s');
    const text = timingsText(timings).split('\n');
    expect(text[0]).toBe('Time to AMI:');
    expect(text.slice(1).map((l) => l.trim().split(/ {2,}/))).toEqual([
      ['Resolve base image', '0.4 s'],
      ['Install (until stopped)', '3 min 20 s'],
      ['↳ Launch to running', '20 s'],
      ['↳ Install', '2 min 50 s'],
      ['↳ Stop', '10 s'],
      ['Test: boot the AMI; check #1 `x`', '0.0 s'],
      ['Total', '3 min 21 s'],
    ]);
  });

  test('durations: tenths under 10 s, then seconds, minutes, hours', () => {
    expect([0.04, 9.9, 9.96, 59.4, 125, 3725].map(formatDuration)).toEqual([
      '0.0 s',
      '9.9 s',
      '10 s',
      '59 s',
      '2 min 5 s',
      '1 h 2 min',
    ]);
  });
});

describe('the polls back off', () => {
  const schedule = (intervalMs: number, n: number) => {
    const next = pollBackoff(intervalMs);
    return Array.from({ length: n }, next);
  };

  test('a short first poll, growing by half each time, capped at the configured interval', () => {
    expect(FIRST_POLL_MS).toBe(2000);
    expect(schedule(15_000, 8)).toEqual([2000, 3000, 4500, 6750, 10_125, 15_000, 15_000, 15_000]);
  });

  test('an interval shorter than the first poll is used from the start (wait-instance 1)', () => {
    expect(schedule(1000, 3)).toEqual([1000, 1000, 1000]);
    expect(schedule(200, 2)).toEqual([200, 200]);
  });
});
