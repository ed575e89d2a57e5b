import { randomUUID } from 'node:crypto';

const MESSAGE_ID = /<([^<>\s]+)>/g;
const SUBJECT_TOKEN = /\[#(\d{1,15})\]/;
const REPLY_PREFIXES = /^\s*((re|fw|fwd|aw|wg|sv|vs|antw|r)\s*(\[\d+\])?\s*:\s*)+/i;

/** The Message-IDs named in an In-Reply-To or References header, without angle brackets, in order, once each. */
export function parseMessageIds(header: string | string[] | undefined | null): string[] {
  const text = Array.isArray(header) ? header.join(' ') : (header ?? '');
  const ids = [...text.matchAll(MESSAGE_ID)].map((match) => match[1]);
  if (ids.length === 0 && text.trim() && !/\s/.test(text.trim())) ids.push(text.trim().replace(/^<|>$/g, ''));
  return [...new Set(ids)];
}

/** The ticket number a `[#123]` token in the subject names, if any. */
export function subjectTicketNumber(subject: string | null | undefined): number | null {
  const match = SUBJECT_TOKEN.exec(subject ?? '');
  return match ? Number(match[1]) : null;
}

/** The subject of our reply: the ticket's subject with one `Re:` and its `[#n]` token, so the next answer threads. */
export function replySubject(ticketSubject: string, ticketNumber: number): string {
  const bare = ticketSubject.replace(SUBJECT_TOKEN, '').replace(REPLY_PREFIXES, '').replace(/\s+/g, ' ').trim();
  return `Re: ${bare} [#${ticketNumber}]`;
}

/** The subject a new ticket gets from an email: reply prefixes and our token dropped. */
export function ticketSubjectOf(emailSubject: string | null | undefined): string {
  const bare = (emailSubject ?? '').replace(SUBJECT_TOKEN, '').replace(REPLY_PREFIXES, '').replace(/\s+/g, ' ').trim();
  return bare.slice(0, 500) || '(no subject)';
}

/** A globally unique Message-ID in the mailbox's domain, without angle brackets. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@')[1] || 'deskline.invalid';
  return `deskline.${randomUUID()}@${domain}`;
}

/** References for a reply: the thread so far, then the message answered, capped as RFC 5322 suggests trimming. */
export function replyReferences(thread: string[], inReplyTo: string | null): string[] {
  const all = [...thread, ...(inReplyTo ? [inReplyTo] : [])];
  const unique = [...new Set(all)];
  return unique.length > 20 ? [unique[0], ...unique.slice(-19)] : unique;
}
