// Save-time SSRF guard for channel base URLs: http(s) only, no credentials, no private/loopback/link-local targets.
// Calls from the control plane and workers (test / health probes) re-check the resolved address at connect time
// (guarded-fetcher.ts), as the data plane does; this check gives the admin a clear error early.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7],
  ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(network, prefix, 'ipv6');

/** True for private, loopback, link-local, reserved and NAT64 addresses (same ranges the data plane refuses). */
export function isPrivateAddress(address: string): boolean {
  const unbracketed = address.replace(/^\[|\]$/g, '');
  const version = isIP(unbracketed);
  if (version === 4) return blocked.check(unbracketed, 'ipv4');
  if (version === 6) {
    // IPv4-mapped / -compatible IPv6 (::ffff:127.0.0.1) is the IPv4 address in disguise.
    const mapped = /^(?:0{0,4}:){0,5}(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(unbracketed.replace(/^::/, '0::'));
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(unbracketed, 'ipv6');
  }
  return false;
}

export type UpstreamUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

export async function checkUpstreamUrl(raw: string, allowPrivate: boolean): Promise<UpstreamUrlCheck> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'baseUrl is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'baseUrl must use http or https' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'baseUrl must not contain credentials' };
  if (url.search !== '' || url.hash !== '') return { ok: false, reason: 'baseUrl must not contain a query or fragment' };
  const normalised = url.toString().replace(/\/+$/, '');
  if (allowPrivate) return { ok: true, url: normalised };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) {
    return { ok: false, reason: 'baseUrl points at a private or loopback host (set ALLOW_PRIVATE_UPSTREAMS to allow)' };
  }
  if (isIP(host) !== 0) {
    return isPrivateAddress(host) ? { ok: false, reason: 'baseUrl points at a private or loopback address (set ALLOW_PRIVATE_UPSTREAMS to allow)' } : { ok: true, url: normalised };
  }
  try {
    const addresses = await lookup(host, { all: true });
    if (addresses.some((entry) => isPrivateAddress(entry.address))) {
      return { ok: false, reason: 'baseUrl resolves to a private or loopback address (set ALLOW_PRIVATE_UPSTREAMS to allow)' };
    }
  } catch {
    // Unresolvable now (offline install, DNS hiccup): accept; the data plane re-checks the address on every connect.
  }
  return { ok: true, url: normalised };
}
