import { createHmac } from 'node:crypto';
import { secretKeyBytes } from './webhook-secret';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, as the Standard Webhooks specification defines it. */
export function signatureOf(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secretKeyBytes(secret)).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${digest}`;
}

/**
 * Headers for one delivery attempt. Each secret adds a signature, space-separated: while a rotated-out secret is
 * still honoured, consumers holding either secret can verify.
 */
export function signedHeaders(secrets: readonly string[], messageId: string, sentAt: Date, body: string): SignedHeaders {
  if (secrets.length === 0) throw new Error('a delivery needs at least one signing secret');
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signatureOf(secret, messageId, timestamp, body)).join(' '),
  };
}
