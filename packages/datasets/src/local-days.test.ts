import { daysWithin, firstDayStartingAtOrAfter } from './local-days';
import { resolveInstant } from './time-range';

const at = (iso: string) => new Date(iso);

describe('firstDayStartingAtOrAfter', () => {
  it('keeps a day that starts exactly at the instant', () => {
    expect(firstDayStartingAtOrAfter(at('2026-03-02T00:00:00Z'), 'UTC')).toBe('2026-03-02');
    expect(firstDayStartingAtOrAfter(resolveInstant('2026-03-29', 'Europe/Berlin')!, 'Europe/Berlin')).toBe(
      '2026-03-29',
    );
    expect(firstDayStartingAtOrAfter(resolveInstant('2026-11-01', 'America/New_York')!, 'America/New_York')).toBe(
      '2026-11-01',
    );
  });
  it('moves to the next day when the instant is past the local midnight', () => {
    expect(firstDayStartingAtOrAfter(at('2026-03-02T00:00:00.001Z'), 'UTC')).toBe('2026-03-03');
    expect(firstDayStartingAtOrAfter(at('2026-03-02T12:00:00Z'), 'UTC')).toBe('2026-03-03');
  });
  it('reads the instant in the time zone, not in UTC', () => {
    // 23:30 UTC on 1 March is 00:30 on 2 March in Berlin: the 2nd has started, so the 3rd is the first whole one.
    expect(firstDayStartingAtOrAfter(at('2026-03-01T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-03');
    // 22:30 UTC on 1 March is 23:30 in Berlin: the 2nd starts half an hour later.
    expect(firstDayStartingAtOrAfter(at('2026-03-01T22:30:00Z'), 'Europe/Berlin')).toBe('2026-03-02');
    // New York midnight of 2 March is 05:00 UTC.
    expect(firstDayStartingAtOrAfter(at('2026-03-02T04:59:59Z'), 'America/New_York')).toBe('2026-03-02');
  });
});

describe('daysWithin', () => {
  it('maps a local date range to the same dates', () => {
    const tz = 'Europe/Berlin';
    expect(daysWithin(resolveInstant('2026-03-28', tz)!, resolveInstant('2026-03-31', tz)!, tz)).toEqual({
      fromDay: '2026-03-28',
      toDay: '2026-03-31',
    });
  });
  it('leaves out a day whose midnight is before a mid-day `from` and includes the day `to` falls on only if it has started', () => {
    expect(daysWithin(at('2026-10-01T06:00:00Z'), at('2026-10-03T06:00:00Z'), 'UTC')).toEqual({
      fromDay: '2026-10-02',
      toDay: '2026-10-04',
    });
  });
});
