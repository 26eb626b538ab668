import { scheduledAtOf } from './worker';

const job = (over: Record<string, unknown>) =>
  ({ id: 'x', repeatJobKey: undefined, timestamp: 1_000, delay: 0, opts: {}, ...over }) as Parameters<
    typeof scheduledAtOf
  >[0];

describe('scheduledAtOf', () => {
  it("takes a scheduler job's slot from its id, not from when it was created or picked up", () => {
    const slot = Date.parse('2026-03-30T04:00:00Z');
    // Created late (after the slot): BullMQ clamps the delay to 0 and stamps the creation time.
    expect(
      scheduledAtOf(
        job({ id: `repeat:schedule-abc:${slot}`, repeatJobKey: 'schedule-abc', timestamp: slot + 7200_000 }),
      ),
    ).toEqual(new Date(slot));
  });
  it('uses creation time plus delay for ordinary jobs', () => {
    expect(scheduledAtOf(job({ id: 'export-1', timestamp: 5_000, delay: 2_000 }))).toEqual(new Date(7_000));
    expect(scheduledAtOf(job({ id: 'repeat:looks-like:123', timestamp: 5_000 }))).toEqual(new Date(5_000));
  });
});
