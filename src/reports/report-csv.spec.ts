import { toCsv } from './report-csv';

describe('toCsv', () => {
  it('writes a header row, quotes where needed and leaves nulls empty', () => {
    const csv = toCsv<{ label: string; n: number | null; at: Date }>(
      [{ header: 'label', value: (r) => r.label }, { header: 'n', value: (r) => r.n }, { header: 'at', value: (r) => r.at }],
      [{ label: 'Tier "2", EU', n: 1.5, at: new Date('2026-01-01T00:00:00Z') }, { label: 'plain', n: null, at: new Date(0) }],
    );
    expect(csv).toBe('label,n,at\r\n"Tier ""2"", EU",1.5,2026-01-01T00:00:00.000Z\r\nplain,,1970-01-01T00:00:00.000Z\r\n');
  });

  it('defuses spreadsheet formulas in text cells', () => {
    expect(toCsv([{ header: 'tag', value: (r: { tag: string }) => r.tag }], [{ tag: '=HYPERLINK("x")' }])).toBe('tag\r\n"\'=HYPERLINK(""x"")"\r\n');
  });
});
