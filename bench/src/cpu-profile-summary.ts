// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the relay's CPU goes, by function (self and inclusive
// time) and by package, so a missed budget comes with the names of the functions that cost it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const cpuProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileEntry {
  name: string;
  location: string;
  selfMicros: number;
  totalMicros: number;
}

export interface ProfileSummary {
  sampledMicros: number;
  idleMicros: number;
  topSelf: ProfileEntry[];
  topTotal: ProfileEntry[];
  byArea: Array<{ area: string; selfMicros: number }>;
  /** Our own functions (data plane and schema) by inclusive time: the cost of each stage of the request. */
  ownStages: ProfileEntry[];
}

/** Groups a script URL into an area: our package, a dependency, or Node itself. */
function areaOf(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node: ' + url.slice(5).split('/')[0];
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency?.[1]) return dependency[1];
  const ours = /\/(data-plane|schema|testing|bench)\/(?:dist|src)\//.exec(url);
  return ours?.[1] ? `@nebulagate/${ours[1]}` : url;
}

function shortLocation(url: string, lineNumber: number): string {
  if (url === '') return '';
  const trimmed = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(data-plane|schema|testing|bench)\//, '$1/');
  return `${trimmed}:${lineNumber + 1}`;
}

export function summarizeCpuProfile(path: string, top = 25): ProfileSummary {
  const profile = cpuProfileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const keyOf = (id: number) => {
    const frame = byId.get(id)?.callFrame;
    return frame ? `${frame.functionName || '(anonymous)'}\u0000${shortLocation(frame.url, frame.lineNumber)}` : '?';
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let sampledMicros = 0;
  let idleMicros = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    sampledMicros += delta;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    if (frame.functionName === '(idle)') idleMicros += delta;
    const key = keyOf(id);
    self.set(key, (self.get(key) ?? 0) + delta);
    areas.set(areaOf(frame.url), (areas.get(areaOf(frame.url)) ?? 0) + (frame.functionName === '(idle)' ? 0 : delta));
    // Inclusive time: each distinct function on the stack once (recursion must not double count).
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const stackKey = keyOf(current);
      if (seen.has(stackKey)) continue;
      seen.add(stackKey);
      total.set(stackKey, (total.get(stackKey) ?? 0) + delta);
    }
  });
  const entry = (key: string): ProfileEntry => {
    const [name = '', location = ''] = key.split('\u0000');
    return { name, location, selfMicros: self.get(key) ?? 0, totalMicros: total.get(key) ?? 0 };
  };
  const skip = new Set(['(root)', '(idle)']);
  const keys = [...total.keys()].filter((key) => !skip.has(key.split('\u0000')[0] ?? ''));
  return {
    sampledMicros,
    idleMicros,
    topSelf: keys
      .map(entry)
      .sort((a, b) => b.selfMicros - a.selfMicros)
      .slice(0, top),
    topTotal: keys
      .map(entry)
      .sort((a, b) => b.totalMicros - a.totalMicros)
      .slice(0, top),
    ownStages: keys
      .map(entry)
      .filter((candidate) => /^(data-plane|schema)\//.test(candidate.location))
      .sort((a, b) => b.totalMicros - a.totalMicros)
      .slice(0, top),
    byArea: [...areas.entries()]
      .map(([area, selfMicros]) => ({ area, selfMicros }))
      .sort((a, b) => b.selfMicros - a.selfMicros)
      .slice(0, top),
  };
}

/** `unit` names what `requests` counts: requests for the JSON load, SSE events for the stream load. */
export function renderProfileMarkdown(summary: ProfileSummary, requests: number, title: string, unit = 'request'): string {
  const busy = summary.sampledMicros - summary.idleMicros;
  const share = (micros: number) => `${((micros / Math.max(1, busy)) * 100).toFixed(1)}%`;
  const perRequest = (micros: number) => (requests > 0 ? (micros / requests).toFixed(1) : '–');
  const table = (entries: ProfileEntry[], pick: (entry: ProfileEntry) => number) => [
    `| function | location | share of busy CPU | µs per ${unit} |`,
    '| --- | --- | ---: | ---: |',
    ...entries.map((entry) => `| \`${entry.name}\` | ${entry.location} | ${share(pick(entry))} | ${perRequest(pick(entry))} |`),
  ];
  return [
    `# ${title}`,
    '',
    `Busy CPU ${(busy / 1000).toFixed(0)} ms over ${requests} ${unit}s = ${perRequest(busy)} µs per ${unit} (idle ${(summary.idleMicros / 1000).toFixed(0)} ms).`,
    '',
    '## By package (self time)',
    '',
    `| area | share of busy CPU | µs per ${unit} |`,
    '| --- | ---: | ---: |',
    ...summary.byArea.map((area) => `| ${area.area} | ${share(area.selfMicros)} | ${perRequest(area.selfMicros)} |`),
    '',
    '## Data-plane and schema functions by inclusive time (what each stage costs, callees included)',
    '',
    ...table(summary.ownStages, (entry) => entry.totalMicros),
    '',
    '## Top functions by self time',
    '',
    ...table(summary.topSelf, (entry) => entry.selfMicros),
    '',
    '## Top functions by inclusive time',
    '',
    ...table(summary.topTotal, (entry) => entry.totalMicros),
    '',
  ].join('\n');
}
