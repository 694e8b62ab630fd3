// The results chart: an SVG of grouped bar panels, rasterised to PNG by librsvg's rsvg-convert (no network, no
// native canvas). Without rsvg-convert only the SVG is written and the caller says so.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { TargetSummary } from './report';
import { round } from './statistics';

interface Series {
  name: string;
  color: string;
  values: Array<number | null>;
}

interface Panel {
  title: string;
  unit: string;
  categories: string[];
  series: Series[];
}

const PANEL_WIDTH = 560;
const PANEL_HEIGHT = 300;
const COLUMNS = 2;
const TARGET_SHORT_NAMES: Record<string, string> = {
  direct: 'direct',
  l0: 'L0',
  gateway: 'gateway',
  'gateway-no-billing': 'no billing',
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function formatValue(value: number): string {
  if (value >= 100) return String(Math.round(value));
  if (value >= 10) return String(round(value, 1));
  return String(round(value, 2));
}

function renderPanel(panel: Panel, left: number, top: number): string {
  const plotLeft = left + 50;
  const plotTop = top + 40;
  const plotWidth = PANEL_WIDTH - 70;
  const plotHeight = PANEL_HEIGHT - 90;
  const values = panel.series.flatMap((series) => series.values).filter((value): value is number => value !== null && Number.isFinite(value));
  const maximum = Math.max(1e-9, ...values) * 1.15;
  const parts: string[] = [
    `<text x="${left + 12}" y="${top + 24}" font-size="15" font-weight="bold">${escapeXml(panel.title)}</text>`,
    `<line x1="${plotLeft}" y1="${plotTop + plotHeight}" x2="${plotLeft + plotWidth}" y2="${plotTop + plotHeight}" stroke="#444"/>`,
    `<text x="${plotLeft - 8}" y="${plotTop + 4}" font-size="11" text-anchor="end" fill="#666">${escapeXml(panel.unit)}</text>`,
  ];
  const groupWidth = plotWidth / Math.max(1, panel.categories.length);
  const barWidth = Math.min(48, (groupWidth - 16) / Math.max(1, panel.series.length));
  panel.categories.forEach((category, categoryIndex) => {
    const groupLeft = plotLeft + categoryIndex * groupWidth + (groupWidth - barWidth * panel.series.length) / 2;
    panel.series.forEach((series, seriesIndex) => {
      const value = series.values[categoryIndex];
      if (value === null || value === undefined || !Number.isFinite(value)) return;
      const height = (Math.max(0, value) / maximum) * plotHeight;
      const x = groupLeft + seriesIndex * barWidth;
      const y = plotTop + plotHeight - height;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 3).toFixed(1)}" height="${height.toFixed(1)}" fill="${series.color}"/>`);
      parts.push(`<text x="${(x + (barWidth - 3) / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" font-size="11" text-anchor="middle">${formatValue(value)}</text>`);
    });
    parts.push(
      `<text x="${(plotLeft + categoryIndex * groupWidth + groupWidth / 2).toFixed(1)}" y="${plotTop + plotHeight + 18}" font-size="12" text-anchor="middle">${escapeXml(category)}</text>`,
    );
  });
  panel.series.forEach((series, seriesIndex) => {
    const x = left + PANEL_WIDTH - 20 - (panel.series.length - seriesIndex) * 90;
    parts.push(`<rect x="${x}" y="${top + 12}" width="12" height="12" fill="${series.color}"/>`);
    parts.push(`<text x="${x + 16}" y="${top + 22}" font-size="11">${escapeXml(series.name)}</text>`);
  });
  return parts.join('\n');
}

export function renderChartSvg(summaries: TargetSummary[], title: string, rateLabel: string): string {
  const all = summaries.map((summary) => TARGET_SHORT_NAMES[summary.target] ?? summary.target);
  const relays = summaries.filter((summary) => summary.target !== 'direct');
  const relayNames = relays.map((summary) => TARGET_SHORT_NAMES[summary.target] ?? summary.target);
  const ms = (micros: number) => micros / 1000;
  const panels: Panel[] = [
    { title: 'Max throughput (closed loop)', unit: 'req/s', categories: all, series: [{ name: 'RPS', color: '#3b6fb6', values: summaries.map((s) => s.maxThroughputPerSecond) }] },
    {
      title: 'Latency at concurrency 1',
      unit: 'ms',
      categories: all,
      series: [
        { name: 'p50', color: '#5a9e5a', values: summaries.map((s) => ms(s.latencyC1.p50Micros)) },
        { name: 'p99', color: '#d08a2e', values: summaries.map((s) => ms(s.latencyC1.p99Micros)) },
      ],
    },
    {
      title: rateLabel,
      unit: 'ms',
      categories: all,
      series: [
        { name: 'p50', color: '#5a9e5a', values: summaries.map((s) => ms(s.constantRate.p50Micros)) },
        { name: 'p99', color: '#d08a2e', values: summaries.map((s) => ms(s.constantRate.p99Micros)) },
      ],
    },
    {
      title: 'Stream time to first byte (c=1)',
      unit: 'ms',
      categories: all,
      series: [
        { name: 'p50', color: '#5a9e5a', values: summaries.map((s) => ms(s.streamFirstByte.p50Micros)) },
        { name: 'p99', color: '#d08a2e', values: summaries.map((s) => ms(s.streamFirstByte.p99Micros)) },
      ],
    },
    { title: 'Relay CPU per request (max RPS run)', unit: 'µs', categories: relayNames, series: [{ name: 'CPU', color: '#3b6fb6', values: relays.map((s) => s.relayCpuMicrosPerRequest) }] },
    { title: 'Relay CPU per SSE event (paced streams)', unit: 'µs', categories: relayNames, series: [{ name: 'CPU', color: '#8a5ab6', values: relays.map((s) => s.streamCpuMicrosPerEvent) }] },
    {
      title: 'Relay RSS',
      unit: 'MB',
      categories: relayNames,
      series: [
        { name: 'idle', color: '#7fa7d9', values: relays.map((s) => (s.memory.idleBytes === null ? null : s.memory.idleBytes / 1048576)) },
        { name: 'steady', color: '#3b6fb6', values: relays.map((s) => (s.memory.steadyBytes === null ? null : s.memory.steadyBytes / 1048576)) },
        { name: 'peak', color: '#1d3b66', values: relays.map((s) => (s.memory.peakBytes === null ? null : s.memory.peakBytes / 1048576)) },
      ],
    },
    {
      title: 'Relay RSS per open stream',
      unit: 'KB',
      categories: relayNames,
      series: [{ name: 'KB', color: '#3b6fb6', values: relays.map((s) => (s.memory.perOpenStreamBytes === null ? null : s.memory.perOpenStreamBytes / 1024)) }],
    },
  ];
  const rows = Math.ceil(panels.length / COLUMNS);
  const width = PANEL_WIDTH * COLUMNS;
  const height = PANEL_HEIGHT * rows + 50;
  const body = panels.map((panel, index) => renderPanel(panel, (index % COLUMNS) * PANEL_WIDTH, 50 + Math.floor(index / COLUMNS) * PANEL_HEIGHT));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Liberation Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="16" y="32" font-size="20" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Writes the SVG and, when rsvg-convert is installed, the PNG. Returns the PNG path or why there is none. */
export function writeChart(svg: string, svgPath: string, pngPath: string): { pngPath: string | null; problem: string | null } {
  writeFileSync(svgPath, svg);
  const converted = spawnSync('rsvg-convert', ['--format', 'png', '--output', pngPath, svgPath], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  if (converted.error) return { pngPath: null, problem: 'rsvg-convert is not installed (apt-get install -y librsvg2-bin); only the SVG was written' };
  if (converted.status !== 0) return { pngPath: null, problem: `rsvg-convert failed: ${converted.stderr.toString().trim()}` };
  return { pngPath, problem: null };
}
