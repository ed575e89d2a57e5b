import fc from 'fast-check';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newSigningSecret, secretKeyBytes } from './webhook-secret';
import { signedHeaders } from './webhook-signature';

const body = JSON.stringify({ id: 'evt', type: 'agent.created', data: { name: 'Zoë' } });

describe('webhook signing', () => {
  it('generates whsec_ secrets of 32 random bytes', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(secretKeyBytes(secret)).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });

  it('produces headers the standardwebhooks library verifies', () => {
    const secret = newSigningSecret();
    const headers = signedHeaders([secret], 'msg_1', new Date(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('verifies any body and message id, and only with the right secret', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), (text, id) => {
        const secret = newSigningSecret();
        const payload = JSON.stringify({ text });
        const headers = signedHeaders([secret], id, new Date(), payload);
        expect(() => new Webhook(secret).verify(payload, { ...headers })).not.toThrow();
        expect(() => new Webhook(newSigningSecret()).verify(payload, { ...headers })).toThrow(WebhookVerificationError);
      }),
      { numRuns: 50 },
    );
  });

  it('fails verification for a tampered body, a changed id or an old timestamp', () => {
    const secret = newSigningSecret();
    const headers = signedHeaders([secret], 'msg_1', new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace('Zoë', 'Zoe'), { ...headers })).toThrow('No matching signature found');
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow('No matching signature found');
    const old = signedHeaders([secret], 'msg_1', new Date(Date.now() - 10 * 60_000), body);
    expect(() => new Webhook(secret).verify(body, { ...old })).toThrow('Message timestamp too old');
  });

  it('signs with every active secret so either verifies during a rotation', () => {
    const [current, previous] = [newSigningSecret(), newSigningSecret()];
    const headers = signedHeaders([current, previous], 'msg_1', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('refuses to sign without a secret', () => {
    expect(() => signedHeaders([], 'msg_1', new Date(), body)).toThrow();
  });
});
