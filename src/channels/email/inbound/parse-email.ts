import { createHash } from 'node:crypto';
import { AddressObject, simpleParser } from 'mailparser';
import { HeaderLookup } from '../auto-reply';
import { parseMessageIds } from '../threading';

export interface ParsedAttachment {
  fileName: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  content: Buffer;
}

/** What the intake needs from an email, decoded: every charset and encoded-word already turned into text. */
export interface ParsedEmail {
  messageId: string;
  header: HeaderLookup;
  from: { address: string | null; name: string | null };
  recipients: string[];
  /** The Cc line: who the sender copied. */
  cc: Array<{ address: string; name: string | null }>;
  subject: string | null;
  inReplyTo: string[];
  references: string[];
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
}

/** PostgreSQL text cannot hold NUL; in mail from a foreign system it carries nothing, so it is dropped, not refused. */
function withoutNul(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is the character being removed.
  return text.includes('\u0000') ? text.replace(/\u0000/g, '') : text;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((object) => object.value.flatMap((entry) => [entry.address, ...(entry.group ?? []).map((member) => member.address)]))
    .filter((address): address is string => !!address)
    .map((address) => withoutNul(address).toLowerCase());
}

function ccOf(value: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string | null }> {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((object) => object.value.flatMap((entry) => [entry, ...(entry.group ?? [])]))
    .filter((entry) => !!entry.address)
    .map((entry) => ({ address: withoutNul(entry.address!).toLowerCase(), name: withoutNul(entry.name ?? '') || null }));
}

export async function parseEmail(raw: Buffer): Promise<ParsedEmail> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, keepCidLinks: true });
  // Header lines keep their raw values, which loop detection wants (Auto-Submitted parameters, Content-Type report type).
  const headers = new Map<string, string>();
  for (const { key, line } of mail.headerLines) {
    if (!headers.has(key)) headers.set(key, withoutNul(line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim()));
  }
  const sender = mail.from?.value[0];
  const delivered = [headers.get('delivered-to'), headers.get('x-original-to'), headers.get('envelope-to')]
    .filter((value): value is string => !!value)
    .map((value) => value.replace(/^<|>$/g, '').toLowerCase());
  const messageIds = (value: string | string[] | undefined) => parseMessageIds(value).map(withoutNul).filter(Boolean);
  const messageId = messageIds(mail.messageId)[0] ?? `synthetic.${createHash('sha256').update(raw).digest('hex')}@deskline.invalid`;
  return {
    messageId,
    header: (name) => headers.get(name.toLowerCase()),
    from: { address: sender?.address ? withoutNul(sender.address).toLowerCase() || null : null, name: withoutNul(sender?.name ?? '') || null },
    recipients: [...new Set([...addresses(mail.to), ...addresses(mail.cc), ...delivered])],
    cc: ccOf(mail.cc),
    subject: mail.subject === undefined ? null : withoutNul(mail.subject),
    inReplyTo: messageIds(mail.inReplyTo),
    references: messageIds(mail.references),
    text: withoutNul(mail.text ?? '').trim(),
    html: typeof mail.html === 'string' && mail.html.trim() ? withoutNul(mail.html) : null,
    attachments: mail.attachments.map((attachment) => ({
      fileName: withoutNul(attachment.filename ?? '') || 'attachment',
      contentType: withoutNul(attachment.contentType ?? '') || 'application/octet-stream',
      size: attachment.size ?? attachment.content.length,
      contentId: attachment.contentId ? withoutNul(attachment.contentId.replace(/^<|>$/g, '')) : null,
      inline: attachment.contentDisposition === 'inline' || attachment.related === true,
      content: attachment.content,
    })),
  };
}
