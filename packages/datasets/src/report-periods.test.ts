import {
  cronPattern,
  duePeriods,
  isComplete,
  nextPeriod,
  nextRunAt,
  periodCoveredBy,
  periodStartingOn,
  previousPeriod,
} from './report-periods';

const iso = (d: Date) => d.toISOString();
const hours = (p: { start: Date; end: Date }) => (p.end.getTime() - p.start.getTime()) / 3600_000;
const at = (s: string) => new Date(s);

describe('weekly periods', () => {
  it('covers the previous Monday to this Monday when run Monday 06:00', () => {
    const p = periodCoveredBy('weekly', 'UTC', at('2026-01-12T06:00:00Z'));
    expect(p).toMatchObject({ startDate: '2026-01-05', endDate: '2026-01-12' });
    expect(iso(p.start)).toBe('2026-01-05T00:00:00.000Z');
    expect(iso(p.end)).toBe('2026-01-12T00:00:00.000Z');
    expect(iso(p.runAt)).toBe('2026-01-12T06:00:00.000Z');
  });

  it('never covers a period whose run time has not come yet', () => {
    // Monday 05:59 Berlin: the week that just ended is not due; the one before is the latest due.
    expect(periodCoveredBy('weekly', 'Europe/Berlin', at('2026-01-12T04:59:00Z')).startDate).toBe('2025-12-29');
    expect(periodCoveredBy('weekly', 'Europe/Berlin', at('2026-01-12T05:00:00Z')).startDate).toBe('2026-01-05');
    // A late pick-up on Thursday still maps to the same week.
    expect(periodCoveredBy('weekly', 'Europe/Berlin', at('2026-01-15T13:00:00Z')).startDate).toBe('2026-01-05');
  });

  it('uses the local Monday, not the UTC one', () => {
    // Monday 06:00 in Tokyo is Sunday 21:00 UTC.
    const p = periodCoveredBy('weekly', 'Asia/Tokyo', at('2026-01-11T21:00:00Z'));
    expect(p.startDate).toBe('2026-01-05');
    expect(iso(p.start)).toBe('2026-01-04T15:00:00.000Z');
    expect(iso(p.runAt)).toBe('2026-01-11T21:00:00.000Z');
  });

  it('has 167 hours across EU spring DST and 169 across EU autumn DST', () => {
    const spring = periodStartingOn('weekly', 'Europe/Berlin', '2026-03-23')!;
    expect(iso(spring.start)).toBe('2026-03-22T23:00:00.000Z');
    expect(iso(spring.end)).toBe('2026-03-29T22:00:00.000Z');
    expect(hours(spring)).toBe(167);
    expect(iso(spring.runAt)).toBe('2026-03-30T04:00:00.000Z');
    const autumn = periodStartingOn('weekly', 'Europe/Berlin', '2026-10-19')!;
    expect(hours(autumn)).toBe(169);
    expect(iso(autumn.runAt)).toBe('2026-10-26T05:00:00.000Z');
  });

  it('has 167 hours across US spring DST and 169 across US autumn DST', () => {
    const spring = periodStartingOn('weekly', 'America/New_York', '2026-03-02')!;
    expect(iso(spring.start)).toBe('2026-03-02T05:00:00.000Z');
    expect(iso(spring.end)).toBe('2026-03-09T04:00:00.000Z');
    expect(hours(spring)).toBe(167);
    expect(iso(spring.runAt)).toBe('2026-03-09T10:00:00.000Z');
    const autumn = periodStartingOn('weekly', 'America/New_York', '2026-10-26')!;
    expect(hours(autumn)).toBe(169);
    expect(iso(autumn.runAt)).toBe('2026-11-02T11:00:00.000Z');
  });

  it('runs once per week through DST changes: consecutive run times are contiguous and local 06:00', () => {
    for (const tz of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney']) {
      let p = periodStartingOn('weekly', tz, '2026-01-05')!;
      for (let i = 0; i < 60; i++) {
        const n = nextPeriod(p);
        expect(n.start).toEqual(p.end);
        expect(n.runAt.getTime()).toBeGreaterThan(p.runAt.getTime());
        expect(periodCoveredBy('weekly', tz, n.runAt)).toEqual(n);
        expect(periodCoveredBy('weekly', tz, new Date(n.runAt.getTime() - 1))).toEqual(p);
        expect(previousPeriod(n)).toEqual(p);
        p = n;
      }
    }
  });

  it('crosses a leap day and a year end', () => {
    expect(periodStartingOn('weekly', 'UTC', '2028-02-28')!.endDate).toBe('2028-03-06');
    expect(periodStartingOn('weekly', 'UTC', '2026-12-28')!.endDate).toBe('2027-01-04');
  });
});

describe('monthly periods', () => {
  it('covers the previous calendar month when run on the 1st 06:00', () => {
    const p = periodCoveredBy('monthly', 'UTC', at('2026-02-01T06:00:00Z'));
    expect(p).toMatchObject({ startDate: '2026-01-01', endDate: '2026-02-01' });
    expect(iso(p.runAt)).toBe('2026-02-01T06:00:00.000Z');
    expect(periodCoveredBy('monthly', 'UTC', at('2026-02-01T05:59:59Z')).startDate).toBe('2025-12-01');
  });

  it('handles month ends, leap years and year ends', () => {
    expect(hours(periodStartingOn('monthly', 'UTC', '2028-02-01')!)).toBe(29 * 24);
    expect(hours(periodStartingOn('monthly', 'UTC', '2027-02-01')!)).toBe(28 * 24);
    expect(hours(periodStartingOn('monthly', 'UTC', '2026-01-01')!)).toBe(31 * 24);
    expect(hours(periodStartingOn('monthly', 'UTC', '2026-04-01')!)).toBe(30 * 24);
    expect(periodStartingOn('monthly', 'UTC', '2026-12-01')!.endDate).toBe('2027-01-01');
    expect(periodCoveredBy('monthly', 'UTC', at('2027-01-01T07:00:00Z')).startDate).toBe('2026-12-01');
  });

  it('is an hour shorter or longer in DST months, in the EU and the US', () => {
    expect(hours(periodStartingOn('monthly', 'Europe/Berlin', '2026-03-01')!)).toBe(31 * 24 - 1);
    expect(hours(periodStartingOn('monthly', 'Europe/Berlin', '2026-10-01')!)).toBe(31 * 24 + 1);
    expect(hours(periodStartingOn('monthly', 'America/New_York', '2026-03-01')!)).toBe(31 * 24 - 1);
    expect(hours(periodStartingOn('monthly', 'America/New_York', '2026-11-01')!)).toBe(30 * 24 + 1);
    const nov = periodStartingOn('monthly', 'America/New_York', '2026-11-01')!;
    expect(iso(nov.start)).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(nov.end)).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(nov.runAt)).toBe('2026-12-01T11:00:00.000Z');
    const apr = periodStartingOn('monthly', 'Europe/Berlin', '2026-03-01')!;
    expect(iso(apr.runAt)).toBe('2026-04-01T04:00:00.000Z');
  });
});

describe('next run, due periods, alignment', () => {
  it('gives the next run strictly after an instant, in the zone, across DST', () => {
    expect(iso(nextRunAt('weekly', 'Europe/Berlin', at('2026-03-25T12:00:00Z')))).toBe('2026-03-30T04:00:00.000Z');
    expect(iso(nextRunAt('weekly', 'Europe/Berlin', at('2026-03-30T04:00:00Z')))).toBe('2026-04-06T04:00:00.000Z');
    expect(iso(nextRunAt('weekly', 'America/New_York', at('2026-03-03T00:00:00Z')))).toBe('2026-03-09T10:00:00.000Z');
    expect(iso(nextRunAt('monthly', 'America/New_York', at('2026-11-15T00:00:00Z')))).toBe('2026-12-01T11:00:00.000Z');
    expect(iso(nextRunAt('monthly', 'UTC', at('2026-01-31T23:00:00Z')))).toBe('2026-02-01T06:00:00.000Z');
  });

  it('lists the last N due periods, oldest first', () => {
    const due = duePeriods('weekly', 'UTC', at('2026-01-12T06:00:00Z'), 3);
    expect(due.map((p) => p.startDate)).toEqual(['2025-12-22', '2025-12-29', '2026-01-05']);
    expect(duePeriods('monthly', 'UTC', at('2026-03-01T05:00:00Z'), 2).map((p) => p.startDate)).toEqual([
      '2025-12-01',
      '2026-01-01',
    ]);
    expect(duePeriods('monthly', 'UTC', at('2026-03-01T05:00:00Z'), 0)).toEqual([]);
  });

  it('accepts only Mondays for weekly and 1sts for monthly', () => {
    expect(periodStartingOn('weekly', 'UTC', '2026-01-06')).toBeNull();
    expect(periodStartingOn('weekly', 'UTC', '2026-02-30')).toBeNull();
    expect(periodStartingOn('weekly', 'UTC', '2026-1-5')).toBeNull();
    expect(periodStartingOn('monthly', 'UTC', '2026-01-02')).toBeNull();
    expect(periodStartingOn('monthly', 'UTC', '2026-01-01')!.endDate).toBe('2026-02-01');
  });

  it('says when a period is complete', () => {
    const p = periodStartingOn('weekly', 'UTC', '2026-01-05')!;
    expect(isComplete(p, at('2026-01-11T23:59:59Z'))).toBe(false);
    expect(isComplete(p, at('2026-01-12T00:00:00Z'))).toBe(true);
  });

  it('has cron patterns matching the run times', () => {
    expect(cronPattern('weekly')).toBe('0 6 * * 1');
    expect(cronPattern('monthly')).toBe('0 6 1 * *');
  });
});
