// Azure OpenAI: the OpenAI wire with a deployment URL and the `api-key` header instead of `Authorization: Bearer`.
// Replies, streams and errors are OpenAI's, so everything but the call preparation is the OpenAI adapter's.
import type { RelayEndpoint } from '../index';
import type { EndpointAdapter, EndpointCallInput, PreparedEndpointCall } from '../endpoint-adapter';
import { openAiChatAdapter } from '../openai';
import { prepareOpenAiChat } from '../openai/chat';
import { acceptFor, openAiEndpointAdapter, openAiEndpointBody } from '../openai/endpoints';
import type { ChatAdapter, ChatCallInput, PreparedUpstreamCall } from '../provider-adapter';
import { API_VERSION_FIELD, azureApiVersion, azureDeploymentUrl } from './azure-url';

export { AZURE_DEFAULT_API_VERSION, azureApiVersion, azureDeploymentUrl } from './azure-url';

export const AZURE_ENDPOINTS: readonly RelayEndpoint[] = [
  'chat',
  'completions',
  'embeddings',
  'image-generation',
  'image-edit',
  'speech',
  'transcription',
  'translation',
];

function withAzureAuth(headers: Record<string, string>, apiKey: string): Record<string, string> {
  const { authorization: _bearer, ...rest } = headers;
  return { ...rest, 'api-key': apiKey };
}

export function prepareAzureChat(input: ChatCallInput): PreparedUpstreamCall {
  const apiVersion = azureApiVersion({ body: input.body, baseUrl: input.baseUrl });
  const { [API_VERSION_FIELD]: _version, ...body } = input.body;
  const call = prepareOpenAiChat({ ...input, body });
  return { url: azureDeploymentUrl(input.baseUrl, input.upstreamModel, 'chat', apiVersion), headers: withAzureAuth(call.headers, input.apiKey), body: call.body };
}

export function prepareAzureEndpoint(input: EndpointCallInput): PreparedEndpointCall {
  const json = input.payload.kind === 'json' ? input.payload.json : undefined;
  const apiVersion = azureApiVersion({ overrides: input.parameterOverrides, body: json, baseUrl: input.baseUrl });
  const { body, contentType } = openAiEndpointBody(input, { consumedOverrides: [API_VERSION_FIELD] });
  const headers: Record<string, string> = {
    'content-type': contentType,
    accept: acceptFor(input.endpoint, input.stream),
    'accept-encoding': 'identity',
    'api-key': input.apiKey,
  };
  if (input.userAgent) headers['user-agent'] = input.userAgent;
  return { url: azureDeploymentUrl(input.baseUrl, input.upstreamModel, input.endpoint, apiVersion), headers, body };
}

export const azureChatAdapter: ChatAdapter = { ...openAiChatAdapter, prepareChat: prepareAzureChat };

export const azureEndpointAdapter: EndpointAdapter = { ...openAiEndpointAdapter, prepare: prepareAzureEndpoint };
