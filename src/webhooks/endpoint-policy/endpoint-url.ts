import { isIP } from 'node:net';
import { FORBIDDEN_ADDRESS_PROBLEM, isForbiddenAddress, isLoopbackName } from '../../common/network/forbidden-addresses';

export interface EndpointPolicy {
  allowHttp: boolean;
  allowPrivateAddresses: boolean;
}

export const MAX_URL_LENGTH = 2048;

/** The host as an IP literal, without IPv6 brackets, or null for a name. */
export function ipLiteral(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : null;
}

/** Why a URL cannot be a webhook endpoint, or null when it can (names are resolved and checked separately). */
export function endpointUrlProblem(raw: string, policy: EndpointPolicy): string | null {
  if (raw.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL such as https://example.com/webhooks';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must use https, got "${url.protocol.replace(/:$/, '')}"`;
  if (url.protocol === 'http:' && !policy.allowHttp) return 'must use https (plain http is disabled on this server)';
  if (url.username || url.password) return 'must not contain credentials; authenticate deliveries with the signature instead';
  if (!url.hostname) return 'must name a host';
  const ip = ipLiteral(url);
  if (!policy.allowPrivateAddresses && (ip !== null ? isForbiddenAddress(ip) : isLoopbackName(url.hostname))) return FORBIDDEN_ADDRESS_PROBLEM;
  return null;
}
