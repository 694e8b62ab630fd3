// Provider adapters for the OpenAI-compatible vendors, built from the vendor table: the OpenAI chat and endpoint
// adapters unchanged, each vendor serving only the endpoints the table lists.
import type { ProviderId } from '@nebulagate/schema';
import type { ProviderAdapter, RelayEndpoint } from '../index';
import { openAiChatAdapter } from '../openai';
import { openAiEndpointAdapter } from '../openai/endpoints';
import { OPENAI_COMPATIBLE_VENDORS, type OpenAiCompatibleVendor } from './vendor-table';

export { ALL_OPENAI_ENDPOINTS, OPENAI_COMPATIBLE_VENDORS, type OpenAiCompatibleVendor } from './vendor-table';

export function openAiCompatibleAdapter(vendor: Pick<OpenAiCompatibleVendor, 'displayName' | 'defaultBaseUrl' | 'endpoints'>): ProviderAdapter {
  return {
    endpoints: new Set<RelayEndpoint>(vendor.endpoints),
    chat: vendor.endpoints.includes('chat') ? openAiChatAdapter : null,
    endpointAdapter: openAiEndpointAdapter,
    displayName: vendor.displayName,
    defaultBaseUrl: vendor.defaultBaseUrl || null,
  };
}

export function openAiCompatibleAdapters(): Partial<Record<ProviderId, ProviderAdapter>> {
  const adapters: Partial<Record<ProviderId, ProviderAdapter>> = {};
  for (const vendor of OPENAI_COMPATIBLE_VENDORS) adapters[vendor.id] = openAiCompatibleAdapter(vendor);
  return adapters;
}
