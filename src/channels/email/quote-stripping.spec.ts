import { stripQuotedHtml, stripQuotedReply } from './quote-stripping';

describe('stripQuotedReply', () => {
  it('strips a Gmail-style history, attribution wrapped over two lines', () => {
    const text = 'Thanks, that worked!\n\nOn Tue, 3 Mar 2026 at 10:00, Acme Support <support@acme.test>\nwrote:\n\n> Try again now.\n> Regards';
    expect(stripQuotedReply(text)).toBe('Thanks, that worked!');
  });

  it('strips an Apple Mail-style history', () => {
    const text = 'Still broken.\r\n\r\n> On 3 Mar 2026, at 10:00, Acme Support <support@acme.test> wrote:\r\n> \r\n> Try again now.';
    expect(stripQuotedReply(text)).toBe('Still broken.');
  });

  it('strips an Outlook-style history with a rule and From/Sent block', () => {
    const text = 'Please call me.\n\n________________________________\nFrom: Acme Support <support@acme.test>\nSent: Tuesday, March 3, 2026 10:00 AM\nTo: Jo\nSubject: RE: Printer\n\nTry again now.';
    expect(stripQuotedReply(text)).toBe('Please call me.');
    expect(stripQuotedReply('Ok\n-----Original Message-----\nFrom: a\nbody')).toBe('Ok');
  });

  it('strips German attributions and keeps signatures', () => {
    expect(stripQuotedReply('Danke!\n-- \nJo\n\nAm 03.03.2026 um 10:00 schrieb Acme Support <support@acme.test>:\n> Hallo')).toBe('Danke!\n-- \nJo');
  });

  it('keeps everything when nothing is quoted, or when the whole text is inline answers', () => {
    expect(stripQuotedReply('Hello,\nmy printer is on fire.\nFrom: the office')).toBe('Hello,\nmy printer is on fire.\nFrom: the office');
    expect(stripQuotedReply('> quoted only')).toBe('> quoted only');
  });
});

describe('stripQuotedHtml', () => {
  it('drops Gmail quotes, blockquotes and the Outlook reply header onwards', () => {
    expect(stripQuotedHtml('<div>Thanks!</div><div class="gmail_quote"><div>On … wrote:</div><blockquote>old</blockquote></div>')).toBe('<div>Thanks!</div>');
    expect(stripQuotedHtml('<p>Yes</p><blockquote type="cite">old</blockquote>')).toBe('<p>Yes</p>');
    expect(stripQuotedHtml('<p>Call me</p><hr><div id="divRplyFwdMsg"><b>From:</b> x</div><div>old</div>')).toBe('<p>Call me</p><hr />');
  });
});
