import { isIP } from 'node:net';

// Only digits, dots and the hex letters and x of 0x: what the numeric IPv4 forms are written with.
const NUMERIC_IPV4_FORM = /^[0-9a-fx.]+$/i;

/**
 * The IP address a host names literally, in canonical form, or null when it is a DNS name. Brackets around IPv6 are
 * dropped, and the IPv4 forms that inet_aton and URL parsers read as addresses (2130706433, 0177.0.0.1, 0x7f.1, 127.1)
 * become dotted quads, so a policy that checks the canonical form cannot be walked around by spelling.
 */
export function ipAddressOf(host: string): string | null {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare.replace(/%.*$/, ''));
  if (family === 6) return bare.toLowerCase();
  if (family === 4) return bare;
  if (!NUMERIC_IPV4_FORM.test(bare)) return null;
  try {
    // The WHATWG host parser implements exactly the inet_aton reading of numbers (decimal, octal, hex, shortened).
    const parsed = new URL(`http://${bare}/`).hostname;
    return isIP(parsed) === 4 ? parsed : null;
  } catch {
    return null;
  }
}

