// Channel base URL (https://api.openai.com/v1) -> the upstream Realtime URL (wss://api.openai.com/v1/realtime?model=m).
// The http(s) form is kept too: the SSRF checks are written for it.

export interface RealtimeUpstreamUrl {
  /** The same address as http(s), for assertUpstreamUrlAllowed. */
  httpUrl: URL;
  /** What the WebSocket client dials. */
  webSocketUrl: string;
}

export function realtimeUpstreamUrl(baseUrl: string, upstreamModel: string): RealtimeUpstreamUrl | null {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return null;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return null;
  const httpUrl = new URL(base.href);
  httpUrl.pathname = `${base.pathname.replace(/\/+$/, '')}/realtime`;
  httpUrl.search = '';
  httpUrl.hash = '';
  httpUrl.searchParams.set('model', upstreamModel);
  const webSocketUrl = new URL(httpUrl.href);
  webSocketUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  return { httpUrl, webSocketUrl: webSocketUrl.href };
}
