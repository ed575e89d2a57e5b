import { suppressionReason } from './auto-reply';

const headers = (values: Record<string, string>) => (name: string) => values[name];
const own = ['support@acme.test'];

describe('suppressionReason', () => {
  it('lets mail a person wrote through', () => {
    expect(suppressionReason(headers({ 'auto-submitted': 'no', precedence: 'first-class' }), 'jo@example.com', own)).toBeNull();
    expect(suppressionReason(headers({}), 'jo@example.com', own)).toBeNull();
  });

  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'auto_submitted'],
    [{ 'auto-submitted': 'auto-generated; owner-email="x@y"' }, 'auto_submitted'],
    [{ 'x-autoreply': 'yes' }, 'auto_reply'],
    [{ 'x-auto-response-suppress': 'All' }, 'auto_reply'],
    [{ precedence: 'bulk' }, 'bulk_precedence'],
    [{ precedence: 'Junk' }, 'bulk_precedence'],
    [{ precedence: 'list' }, 'bulk_precedence'],
    [{ precedence: 'auto_reply' }, 'bulk_precedence'],
    [{ 'content-type': 'multipart/report; report-type=delivery-status; boundary="x"' }, 'delivery_status'],
    [{ 'x-failed-recipients': 'gone@example.com' }, 'delivery_status'],
  ])('suppresses %j as %s', (values, reason) => {
    expect(suppressionReason(headers(values as Record<string, string>), 'jo@example.com', own)).toBe(reason);
  });

  it('suppresses mailer-daemons, postmasters and our own addresses, case-insensitively', () => {
    expect(suppressionReason(headers({}), 'MAILER-DAEMON@mx.example.com', own)).toBe('mailer_daemon');
    expect(suppressionReason(headers({}), 'postmaster@example.com', own)).toBe('mailer_daemon');
    // No sender at all is no machine either: the intake refuses it, naming the From header.
    expect(suppressionReason(headers({}), null, own)).toBeNull();
    expect(suppressionReason(headers({}), 'Support@ACME.test', own)).toBe('own_address');
  });
});
