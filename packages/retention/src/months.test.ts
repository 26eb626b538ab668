import { addMonths, isCalendarDay, monthOf, monthOfPartition, monthRange, partitionName } from './months';
import { missingMonths, type Partition } from './partitions';

describe('month arithmetic', () => {
  it('adds and subtracts across years', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2024-02', -24)).toBe('2022-02');
    expect(addMonths('2026-12', 0)).toBe('2026-12');
  });
  it('lists months inclusively', () => {
    expect(monthRange('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthRange('2026-11', '2026-10')).toEqual([]);
  });
  it('names partitions as ensure_month_partitions does, and reads them back', () => {
    expect(partitionName('install_events', '2024-02')).toBe('install_events_p2024_02');
    expect(monthOfPartition('install_events', 'install_events_p2024_02')).toBe('2024-02');
    expect(monthOfPartition('install_events', 'install_events_p2024_13')).toBeNull();
    expect(monthOfPartition('install_events', 'install_events_old')).toBeNull();
    expect(monthOfPartition('reviews', 'install_events_p2024_02')).toBeNull();
  });
  it('accepts only real calendar days', () => {
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2026-04-31')).toBe(false);
    expect(isCalendarDay('2026-4-01')).toBe(false);
    expect(monthOf('2026-11-27')).toBe('2026-11');
    expect(() => monthOf('today')).toThrow(/YYYY-MM-DD/);
  });
});

describe('missingMonths', () => {
  const p = (month: string): Partition => ({
    name: partitionName('t', month),
    lower: new Date(`${month}-01T00:00:00Z`),
    upper: new Date(`${addMonths(month, 1)}-01T00:00:00Z`),
    isDefault: false,
    detachPending: false,
  });
  it('finds the months from now to three ahead that no partition covers', () => {
    expect(missingMonths([p('2026-11'), p('2026-12')], '2026-11', 3)).toEqual(['2027-01', '2027-02']);
    expect(missingMonths([p('2026-11'), p('2027-01')], '2026-11', 3)).toEqual(['2026-12', '2027-02']);
    expect(missingMonths([], '2026-11', 0)).toEqual(['2026-11']);
  });
  it('counts a wider partition as covering, and never a DEFAULT one', () => {
    const wide: Partition = { ...p('2026-11'), upper: new Date('2027-06-01T00:00:00Z') };
    expect(missingMonths([wide], '2026-11', 3)).toEqual([]);
    const def: Partition = { ...p('2026-11'), lower: null, upper: null, isDefault: true };
    expect(missingMonths([def], '2026-11', 1)).toEqual(['2026-11', '2026-12']);
  });
});
