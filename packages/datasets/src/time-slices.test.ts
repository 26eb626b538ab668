import { samplePercent, SAMPLE_BLOCKS, sliceRanges } from './time-slices';
import type { DatasetScope } from './types';

const scope: DatasetScope = {
  from: new Date('2026-01-01T00:00:00Z'),
  to: new Date('2026-01-05T00:00:00Z'),
  timezone: 'UTC',
  granularity: 'day',
  publisherId: 'p',
  packageIds: null,
};
const bounds = (slices: DatasetScope[]) => slices.map((s) => [s.from.toISOString(), s.to.toISOString()]);

describe('sliceRanges', () => {
  it('splits the time evenly when there are no cut points', () => {
    expect(bounds(sliceRanges(scope, 4, null))).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
      ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'],
      ['2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z'],
      ['2026-01-04T00:00:00.000Z', '2026-01-05T00:00:00.000Z'],
    ]);
  });

  it('cuts at the given points, dropping duplicates and points outside the range, and keeps the rest of the scope', () => {
    const cuts = [
      '2026-01-03T06:00:00Z',
      '2026-01-01T00:00:00Z',
      '2026-01-02T12:00:00Z',
      '2026-01-03T06:00:00Z',
      '2026-02-01T00:00:00Z',
    ].map((c) => new Date(c));
    const slices = sliceRanges(scope, 3, cuts);
    expect(bounds(slices)).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-01-02T12:00:00.000Z'],
      ['2026-01-02T12:00:00.000Z', '2026-01-03T06:00:00.000Z'],
      ['2026-01-03T06:00:00.000Z', '2026-01-05T00:00:00.000Z'],
    ]);
    expect(slices.every((s) => s.publisherId === 'p' && s.timezone === 'UTC')).toBe(true);
  });

  it('always covers the range exactly, each slice starting where the last ended', () => {
    for (const count of [2, 3, 7]) {
      const slices = sliceRanges({ ...scope, to: new Date(scope.from.getTime() + 1001) }, count, null);
      expect(slices[0]!.from).toEqual(scope.from);
      expect(slices.at(-1)!.to.getTime()).toBe(scope.from.getTime() + 1001);
      slices.slice(1).forEach((s, i) => expect(s.from).toEqual(slices[i]!.to));
    }
  });
});

describe('samplePercent', () => {
  it('reads about SAMPLE_BLOCKS blocks whatever the size: all of a smaller table, a shrinking share of larger ones', () => {
    expect(samplePercent(0)).toBe(100);
    expect(samplePercent(SAMPLE_BLOCKS / 2)).toBe(100);
    expect(samplePercent(SAMPLE_BLOCKS)).toBe(100);
    for (const blocks of [2_200, 37_000, 880_000, 1e9])
      expect((samplePercent(blocks) / 100) * blocks).toBeCloseTo(SAMPLE_BLOCKS);
    expect(samplePercent(2_200, 22)).toBeCloseTo(1);
  });
});
