// A schedule's rule in words, and the completed periods a person may send now (CONTRACT §4: weekly runs Monday
// 06:00 in the zone for the previous Monday–Sunday; monthly on the 1st at 06:00 for the previous month).
import { addDays, addMonths, firstOfMonth, todayIn } from '../ui/dates';

export type Frequency = 'weekly' | 'monthly';

export const ruleText = (frequency: Frequency, zone: string) =>
  frequency === 'weekly'
    ? `every Monday 06:00 ${zone}, for the previous Monday–Sunday`
    : `on the 1st of every month at 06:00 ${zone}, for the previous calendar month`;

/** The last `count` completed periods in `zone`, newest first: {start, label}. */
export function completedPeriods(
  frequency: Frequency,
  zone: string,
  count = 8,
  now = new Date(),
): { start: string; label: string }[] {
  const today = todayIn(zone, now);
  if (frequency === 'monthly') {
    const thisMonth = firstOfMonth(today);
    return Array.from({ length: count }, (_, i) => {
      const start = addMonths(thisMonth, -(i + 1));
      return {
        start,
        label: new Date(`${start}T00:00:00Z`).toLocaleDateString(undefined, {
          month: 'long',
          year: 'numeric',
          timeZone: 'UTC',
        }),
      };
    });
  }
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  const thisMonday = addDays(today, -weekday);
  return Array.from({ length: count }, (_, i) => {
    const start = addDays(thisMonday, -7 * (i + 1));
    return { start, label: `${start} – ${addDays(start, 6)}` };
  });
}
