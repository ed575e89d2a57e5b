import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { isForbiddenAddress } from './forbidden-addresses';

export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a loopback, private, link-local or metadata address`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that refuses forbidden addresses at connect time, so a name that resolved to a public
 * address when the subscription was saved cannot be rebound to an internal one later.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
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

/** For validating a new endpoint: the reason its host is unacceptable, or null. */
export function forbiddenResolution(hostname: string): Promise<string | null> {
  return new Promise((resolve) => {
    guardedLookup(hostname, { all: true }, (error) => {
      if (!error) return resolve(null);
      resolve(error instanceof ForbiddenAddressError ? 'must not point to a loopback, private, link-local or metadata address' : `host ${hostname} does not resolve`);
    });
  });
}
