import { countPeriods } from './period-count';

const d = (s: string) => new Date(s);

describe('countPeriods', () => {
  it('counts clipped first and last periods', () => {
    expect(countPeriods(d('2026-01-01T00:00:00Z'), d('2026-01-02T00:00:00Z'), 'day', 'UTC')).toBe(1);
    expect(countPeriods(d('2026-01-01T12:00:00Z'), d('2026-01-03T01:00:00Z'), 'day', 'UTC')).toBe(3);
    // 2026-01-07 is a Wednesday: weeks of Jan 5 and Jan 12.
    expect(countPeriods(d('2026-01-07T00:00:00Z'), d('2026-01-13T00:00:00Z'), 'week', 'UTC')).toBe(2);
    expect(countPeriods(d('2026-01-15T00:00:00Z'), d('2026-03-01T00:00:00Z'), 'month', 'UTC')).toBe(2);
  });
  it('counts local days across a DST change', () => {
    // Berlin, 2026-03-29 has 23 hours: 3 local days from the 28th to the 31st.
    expect(countPeriods(d('2026-03-27T23:00:00Z'), d('2026-03-30T22:00:00Z'), 'day', 'Europe/Berlin')).toBe(3);
  });
  it('10,000 days is 10,000 periods', () => {
    const from = d('2026-01-01T00:00:00Z');
    expect(countPeriods(from, new Date(from.getTime() + 10_000 * 86400_000), 'day', 'UTC')).toBe(10_000);
    expect(countPeriods(from, new Date(from.getTime() + 10_001 * 86400_000), 'day', 'UTC')).toBe(10_001);
  });
});
