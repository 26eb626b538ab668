import { passDay } from './pass-day';

describe('passDay', () => {
  const today = new Date('2026-11-27T05:00:00Z');
  it('defaults to today in UTC', () => {
    expect(passDay(undefined, today, false)).toBe('2026-11-27');
    expect(passDay(undefined, new Date('2026-11-27T23:30:00-05:00'), false)).toBe('2026-11-28');
  });
  it('accepts today or an earlier day', () => {
    expect(passDay('2026-11-27', today, false)).toBe('2026-11-27');
    expect(passDay('2024-02-29', today, false)).toBe('2024-02-29');
  });
  it('refuses a later day for a real pass: it would delete data still inside retention', () => {
    expect(() => passDay('2026-11-28', today, false)).toThrow(/after today \(2026-11-27, UTC\)/);
    expect(passDay('2028-02-29', today, true)).toBe('2028-02-29');
  });
  it('refuses malformed and impossible dates', () => {
    expect(() => passDay('2026-02-29', today, true)).toThrow(/YYYY-MM-DD/);
    expect(() => passDay('27.11.2026', today, true)).toThrow(/YYYY-MM-DD/);
  });
});
