import { monthDeletion, retentionCalendar } from './calendar';

describe('monthDeletion', () => {
  it('starts the day after the first turns 24 months old, and ends when the cutoff passes the month', () => {
    expect(monthDeletion('2024-11', '2024-11-27', 24)).toEqual({
      month: '2024-11',
      from: '2024-11-27',
      to: '2024-12-01',
      deletion_starts_on: '2026-11-02',
      fully_deleted_on: '2026-12-01',
    });
    expect(monthDeletion('2024-12', '2024-11-27', 24)).toEqual({
      month: '2024-12',
      from: '2024-12-01',
      to: '2025-01-01',
      deletion_starts_on: '2026-12-02',
      fully_deleted_on: '2027-01-01',
    });
  });
  it('handles February and leap years', () => {
    expect(monthDeletion('2026-02', '2026-02-28', 24)).toMatchObject({
      to: '2026-03-01',
      deletion_starts_on: '2028-02-02',
      fully_deleted_on: '2028-03-01',
    });
    expect(monthDeletion('2024-02', '2024-01-10', 24)).toMatchObject({
      from: '2024-02-01',
      to: '2024-03-01',
      fully_deleted_on: '2026-03-01',
    });
  });
});

describe('retentionCalendar', () => {
  it('as of 2026-11-27: boundary month 2024-11, and what goes within 60 days (to 2027-01-26)', () => {
    const c = retentionCalendar('2026-11-27', 60, 24);
    expect(c.cutoff).toBe('2024-11-27');
    expect(c.nextDeletion).toMatchObject({ month: '2024-11', fully_deleted_on: '2026-12-01' });
    expect(c.dueWithin.map((m) => m.month)).toEqual(['2024-11', '2024-12', '2025-01']);
    // The timeline: 25 months from the boundary month to today's, the boundary one kept from the cutoff on.
    expect(c.kept).toHaveLength(25);
    expect(c.kept[0]).toEqual(c.nextDeletion);
    expect(c.kept.at(-1)).toMatchObject({ month: '2026-11', from: '2026-11-01', fully_deleted_on: '2028-12-01' });
  });
  it('with the cutoff on a first of month, the month is whole and still next', () => {
    const c = retentionCalendar('2026-12-01', 60, 24);
    expect(c.cutoff).toBe('2024-12-01');
    expect(c.nextDeletion).toEqual({
      month: '2024-12',
      from: '2024-12-01',
      to: '2025-01-01',
      deletion_starts_on: '2026-12-02',
      fully_deleted_on: '2027-01-01',
    });
    expect(c.dueWithin.map((m) => m.month)).toEqual(['2024-12', '2025-01']);
  });
  it('as of a leap day', () => {
    const c = retentionCalendar('2028-02-29', 60, 24);
    expect(c.cutoff).toBe('2026-02-28');
    expect(c.nextDeletion).toMatchObject({ month: '2026-02', from: '2026-02-28', fully_deleted_on: '2028-03-01' });
    expect(c.dueWithin.map((m) => m.month)).toEqual(['2026-02', '2026-03', '2026-04']);
  });
  it('counts the horizon day itself', () => {
    // 2026-11-02 + 60 days = 2027-01-01; 2025-01 starts going on 2027-01-02.
    expect(retentionCalendar('2026-11-02', 60, 24).dueWithin.map((m) => m.month)).toEqual(['2024-11', '2024-12']);
    expect(retentionCalendar('2026-11-03', 60, 24).dueWithin.map((m) => m.month)).toEqual([
      '2024-11',
      '2024-12',
      '2025-01',
    ]);
  });
});
