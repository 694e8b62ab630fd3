// Azure OpenAI addresses a deployment, not a model: `${base}/openai/deployments/${deployment}/<path>?api-version=<v>`.
// The deployment is the channel's mapped upstream model. The api-version comes from, in order: the channel's
// parameterOverrides["api-version"], an `api-version` field already in the body, `?api-version=` on the channel base
// URL, else AZURE_DEFAULT_API_VERSION (the latest GA data-plane inference version when this was written).
import type { RelayEndpoint } from '../index';
import { OPENAI_ENDPOINT_PATHS } from '../openai/endpoints';

export const AZURE_DEFAULT_API_VERSION = '2024-10-21';
export const API_VERSION_FIELD = 'api-version';

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : null;
}

export function azureApiVersion(sources: { overrides?: Record<string, unknown>; body?: Record<string, unknown>; baseUrl: string }): string {
  const fromOverrides = nonEmptyString(sources.overrides?.[API_VERSION_FIELD]);
  if (fromOverrides) return fromOverrides;
  const fromBody = nonEmptyString(sources.body?.[API_VERSION_FIELD]);
  if (fromBody) return fromBody;
  try {
    const fromUrl = nonEmptyString(new URL(sources.baseUrl).searchParams.get(API_VERSION_FIELD));
    if (fromUrl) return fromUrl;
  } catch {
    // an invalid base URL is refused by the fetcher
  }
  return AZURE_DEFAULT_API_VERSION;
}

/** The resource origin + path of the base URL, without query or fragment and without a trailing slash. */
function resourceBase(baseUrl: string): string {
  const cut = baseUrl.search(/[?#]/);
  return (cut === -1 ? baseUrl : baseUrl.slice(0, cut)).replace(/\/+$/, '');
}

export function azureDeploymentUrl(baseUrl: string, deployment: string, endpoint: RelayEndpoint, apiVersion: string): string {
  return `${resourceBase(baseUrl)}/openai/deployments/${encodeURIComponent(deployment)}${OPENAI_ENDPOINT_PATHS[endpoint]}?${API_VERSION_FIELD}=${encodeURIComponent(apiVersion)}`;
}
