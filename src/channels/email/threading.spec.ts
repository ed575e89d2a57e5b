import { newMessageId, parseMessageIds, replyReferences, replySubject, subjectTicketNumber, ticketSubjectOf } from './threading';

describe('email threading', () => {
  it('parses Message-IDs from In-Reply-To and References, folded or not, once each', () => {
    expect(parseMessageIds('<a@x.com>')).toEqual(['a@x.com']);
    expect(parseMessageIds('<a@x.com>\r\n <b@y.com> <a@x.com>')).toEqual(['a@x.com', 'b@y.com']);
    expect(parseMessageIds(['<a@x.com>', '<c@z>'])).toEqual(['a@x.com', 'c@z']);
    expect(parseMessageIds('bare@id.example')).toEqual(['bare@id.example']);
    expect(parseMessageIds(undefined)).toEqual([]);
    expect(parseMessageIds('')).toEqual([]);
  });

  it('finds the [#n] token anywhere in a subject', () => {
    expect(subjectTicketNumber('Re: Printer on fire [#42]')).toBe(42);
    expect(subjectTicketNumber('AW: [#7] Hallo')).toBe(7);
    expect(subjectTicketNumber('Invoice #42')).toBeNull();
    expect(subjectTicketNumber(undefined)).toBeNull();
  });

  it('builds reply subjects with one Re: and the token', () => {
    expect(replySubject('Printer on fire', 42)).toBe('Re: Printer on fire [#42]');
    expect(replySubject('RE: Re: Printer on fire [#42]', 42)).toBe('Re: Printer on fire [#42]');
  });

  it('derives ticket subjects from email subjects', () => {
    expect(ticketSubjectOf('Fwd: Re: Help')).toBe('Help');
    expect(ticketSubjectOf('   ')).toBe('(no subject)');
  });

  it('mints unique Message-IDs in the sender domain and caps references', () => {
    const id = newMessageId('support@acme.test');
    expect(id).toMatch(/^deskline\.[0-9a-f-]{36}@acme\.test$/);
    expect(newMessageId('support@acme.test')).not.toBe(id);
    const thread = Array.from({ length: 30 }, (_, i) => `m${i}@x`);
    const refs = replyReferences(thread, 'last@x');
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('m0@x');
    expect(refs[19]).toBe('last@x');
  });
});
