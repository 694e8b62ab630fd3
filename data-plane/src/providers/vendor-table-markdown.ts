// The README's vendor table, rendered from the adapter registry so it cannot drift: scripts/vendor-table.cjs writes it
// between the README markers and a test fails when the committed table is stale.
import { PROVIDER_IDS } from '@nebulagate/schema';
import { providerAdapterFor, type RelayEndpoint } from './index';
import { OPENAI_ENDPOINT_PATHS } from './openai/endpoints';

export const VENDOR_TABLE_START = '<!-- vendors:start -->';
export const VENDOR_TABLE_END = '<!-- vendors:end -->';

const ENDPOINT_ORDER: readonly RelayEndpoint[] = [
  'chat',
  'completions',
  'embeddings',
  'image-generation',
  'image-edit',
  'speech',
  'transcription',
  'translation',
  'moderation',
  'rerank',
  'realtime',
];

export function renderVendorTable(): string {
  const lines = [
    '<!-- Generated from data-plane/src/providers by `node scripts/vendor-table.cjs`; do not edit by hand. -->',
    '',
    '| Channel type | Vendor | Default base URL | Endpoints (below /v1; `realtime` is the WebSocket) |',
    '| --- | --- | --- | --- |',
  ];
  for (const id of PROVIDER_IDS) {
    const adapter = providerAdapterFor(id);
    const endpoints = adapter ? ENDPOINT_ORDER.filter((endpoint) => adapter.endpoints.has(endpoint)).map((endpoint) => OPENAI_ENDPOINT_PATHS[endpoint].slice(1)) : [];
    const baseUrl = adapter?.defaultBaseUrl ? `\`${adapter.defaultBaseUrl}\`` : '(set per channel)';
    lines.push(`| \`${id}\` | ${adapter?.displayName ?? id} | ${baseUrl} | ${endpoints.length > 0 ? endpoints.join(', ') : 'not served yet'} |`);
  }
  return lines.join('\n');
}

/** `readme` with the text between the markers replaced; null when the markers are missing. */
export function withVendorTable(readme: string, table: string = renderVendorTable()): string | null {
  const start = readme.indexOf(VENDOR_TABLE_START);
  const end = readme.indexOf(VENDOR_TABLE_END);
  if (start === -1 || end === -1 || end < start) return null;
  return `${readme.slice(0, start + VENDOR_TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
