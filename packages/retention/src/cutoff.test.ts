import { oldestKept, retentionCutoff } from './cutoff';

describe('the retention cutoff (today UTC minus 24 calendar months, clamped at month ends)', () => {
  it.each([
    ['2026-11-27', '2024-11-27'],
    ['2026-12-01', '2024-12-01'],
    ['2026-01-01', '2024-01-01'],
    ['2026-12-31', '2024-12-31'],
    ['2026-02-28', '2024-02-28'],
    ['2026-03-31', '2024-03-31'],
    ['2028-02-29', '2026-02-28'], // leap day back to a common year: clamped
    ['2026-02-28', '2024-02-28'], // into a leap year: no jump to the 29th
    ['2026-03-01', '2024-03-01'],
    ['2025-04-30', '2023-04-30'],
  ])('as of %s keeps %s onwards', (today, cutoff) => {
    expect(retentionCutoff(today, 24)).toBe(cutoff);
  });
  it('treats an instant as its UTC day', () => {
    expect(retentionCutoff(new Date('2026-11-27T23:59:59.999Z'), 24)).toBe('2024-11-27');
    expect(retentionCutoff(new Date('2026-11-28T00:00:00.000Z'), 24)).toBe('2024-11-28');
  });
});

describe('other retention lengths', () => {
  it('goes back the months it is given, clamped the same way', () => {
    expect(retentionCutoff('2026-03-31', 1)).toBe('2026-02-28');
    expect(retentionCutoff('2026-11-27', 36)).toBe('2023-11-27');
  });
  it('gives the cutoff as midnight UTC of its day', () => {
    expect(oldestKept('2026-11-27', 24).toISOString()).toBe('2024-11-27T00:00:00.000Z');
  });
});
