import { FORBIDDEN_ADDRESS_PROBLEM, isForbiddenAddress, isLoopbackName } from './forbidden-addresses';
import { ipAddressOf } from './ip-address';

export interface AddressPolicy {
  /** Loopback, private, link-local and metadata addresses allowed: local development and tests only. */
  allowPrivateAddresses: boolean;
}

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*\\.?$`, 'i');

/**
 * Why a bare host (a name or an IP literal, no scheme or port) is unacceptable under the policy, or null. Only what
 * can be told without DNS: a name must also be resolved and its addresses checked, when saved and again at connect.
 */
export function hostProblem(host: string, policy: AddressPolicy): string | null {
  const ip = ipAddressOf(host);
  if (ip === null && !HOST_NAME.test(host)) return 'must be a host name or an IP address, without a scheme or port';
  if (policy.allowPrivateAddresses) return null;
  if (ip !== null ? isForbiddenAddress(ip) : isLoopbackName(host)) return FORBIDDEN_ADDRESS_PROBLEM;
  return null;
}
