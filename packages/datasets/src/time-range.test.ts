import { resolveInstant, isValidTimeZone } from './time-range';

describe('resolveInstant', () => {
  it('reads a date as local midnight in the time zone', () => {
    expect(resolveInstant('2026-01-05', 'UTC')?.toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(resolveInstant('2026-07-01', 'Europe/Berlin')?.toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(resolveInstant('2026-01-01', 'America/New_York')?.toISOString()).toBe('2026-01-01T05:00:00.000Z');
  });
  it('takes RFC 3339 timestamps as instants', () => {
    expect(resolveInstant('2026-01-05T10:00:00+02:00', 'UTC')?.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(resolveInstant('2026-01-05T10:00:00Z', 'Asia/Tokyo')?.toISOString()).toBe('2026-01-05T10:00:00.000Z');
  });
  it('refuses impossible or malformed values', () => {
    expect(resolveInstant('2026-02-30', 'UTC')).toBeNull();
    expect(resolveInstant('2026-1-5', 'UTC')).toBeNull();
    expect(resolveInstant('2026-01-05T10:00:00', 'UTC')).toBeNull();
    expect(resolveInstant('yesterday', 'UTC')).toBeNull();
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names and refuses others', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Base')).toBe(false);
  });
});
