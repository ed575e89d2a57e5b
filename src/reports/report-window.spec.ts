import { ValidationFailed } from '../common/errors/domain-errors';
import { resolveReportWindow } from './report-window';

describe('resolveReportWindow', () => {
  const now = new Date('2026-03-10T23:30:00Z');

  it('defaults to the last 30 days up to today in the requested time zone', () => {
    expect(resolveReportWindow({}, now)).toEqual({ from: '2026-02-09', to: '2026-03-10', timezone: 'UTC', interval: 'day' });
    // Already the 11th in Tokyo.
    expect(resolveReportWindow({ timezone: 'Asia/Tokyo' }, now)).toEqual({ from: '2026-02-10', to: '2026-03-11', timezone: 'Asia/Tokyo', interval: 'day' });
  });

  it('completes a half-open range with 30 days', () => {
    expect(resolveReportWindow({ from: '2026-01-01' }, now)).toMatchObject({ from: '2026-01-01', to: '2026-01-30' });
    expect(resolveReportWindow({ to: '2026-01-30' }, now)).toMatchObject({ from: '2026-01-01', to: '2026-01-30' });
  });

  it('names every invalid field', () => {
    try {
      resolveReportWindow({ from: '2026-02-30', to: 'soon', timezone: 'Mars/Base' }, now);
      throw new Error('expected a validation failure');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).errors.map((e) => e.field)).toEqual(['timezone', 'to', 'from']);
    }
  });

  it('refuses reversed and oversized ranges', () => {
    expect(() => resolveReportWindow({ from: '2026-02-01', to: '2026-01-31' }, now)).toThrow('to: must not be before from');
    expect(() => resolveReportWindow({ from: '2025-01-01', to: '2026-01-02' }, now)).toThrow('at most 366 days');
    expect(resolveReportWindow({ from: '2025-01-01', to: '2026-01-02', interval: 'month' }, now).interval).toBe('month');
  });
});
