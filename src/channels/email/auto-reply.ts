/** The headers loop protection looks at, lower-cased names to their values. */
export type HeaderLookup = (name: string) => string | undefined;

export type SuppressionReason = 'auto_submitted' | 'auto_reply' | 'bulk_precedence' | 'delivery_status' | 'mailer_daemon' | 'own_address';

const ROBOT_SENDERS = /^(mailer-daemon|postmaster|noreply-dmarc-support|bounces?|no-?reply)(\+[^@]*)?@/i;
const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply']);

/**
 * Why an inbound email must neither open a ticket nor be answered (RFC 3834 and the headers real autoresponders
 * send), or null when a person wrote it. Answering a machine is how mail loops start.
 */
export function suppressionReason(header: HeaderLookup, fromAddress: string | null, ownAddresses: readonly string[]): SuppressionReason | null {
  const from = (fromAddress ?? '').trim().toLowerCase();
  if (from && ownAddresses.some((own) => own.toLowerCase() === from)) return 'own_address';
  const autoSubmitted = header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted.split(';')[0].trim() !== 'no') return 'auto_submitted';
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined || header('x-auto-response-suppress')?.match(/\b(all|oof|autoreply)\b/i)) {
    return 'auto_reply';
  }
  const precedence = header('precedence')?.trim().toLowerCase();
  if (precedence && BULK_PRECEDENCE.has(precedence)) return 'bulk_precedence';
  const contentType = header('content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report') && contentType.includes('delivery-status')) return 'delivery_status';
  if (header('x-failed-recipients') !== undefined) return 'delivery_status';
  if (ROBOT_SENDERS.test(from)) return 'mailer_daemon';
  return null;
}
