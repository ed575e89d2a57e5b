import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { FORBIDDEN_ADDRESS_PROBLEM, isForbiddenAddress, isLoopbackName } from './forbidden-addresses';
import { ipAddressOf } from './ip-address';

export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a loopback, private, link-local or metadata address`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that refuses forbidden addresses at connect time, so a name that resolved to a public
 * address when it was saved cannot be rebound to an internal one later.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  // RFC 6761: these names are loopback whatever a resolver answers, including names it does not know.
  if (isLoopbackName(hostname)) return callback(new ForbiddenAddressError(hostname, '127.0.0.1'), []);
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (refused) return callback(new ForbiddenAddressError(hostname, refused.address), []);
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/**
 * The one address to connect to for a host, checked: an IP literal in any spelling, or the first address a name
 * resolves to when none of its addresses is forbidden. Connecting to this address (not the name again) is what keeps
 * a second, rebound answer from the resolver out.
 */
export function permittedAddress(host: string): Promise<LookupAddress> {
  const literal = ipAddressOf(host);
  if (literal !== null) {
    if (isForbiddenAddress(literal)) return Promise.reject(new ForbiddenAddressError(host, literal));
    return Promise.resolve({ address: literal.replace(/%.*$/, ''), family: literal.includes(':') ? 6 : 4 });
  }
  return new Promise((resolve, reject) => {
    guardedLookup(host, {}, (error, address, family) => (error ? reject(error) : resolve({ address: address as string, family: family! })));
  });
}

/** For validating a saved host: the reason it is unacceptable, or null. */
export async function forbiddenResolution(hostname: string): Promise<string | null> {
  try {
    await permittedAddress(hostname);
    return null;
  } catch (error) {
    return error instanceof ForbiddenAddressError ? FORBIDDEN_ADDRESS_PROBLEM : `host ${hostname} does not resolve`;
  }
}
