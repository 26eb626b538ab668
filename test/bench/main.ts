// `pnpm bench`: export speed against psql, scheduled-report throughput, retention pass vs plain DELETE, and the
// runtime (start time and memory, Node.js 20 + tsx vs Node.js 24 + compiled bundles).
// Figures, not pass/fail: run it on a quiet machine and compare within one run.
//   pnpm bench [--rows 1000000] [--publisher pub-001] [--repeat 1] [--formats csv,gzip,json] [--schedules 10000] [--retention-rows 5200000]
//              [--small-exports 300] [--runtime-rows 200000] [--only exports,small,schedules,retention,runtime]
import { parseArgs } from 'node:util';
import { benchExports } from './exports';
import { benchRetention } from './retention';
import { benchRuntime } from './runtime';
import { benchSchedules } from './schedules';
import { benchSmallExports } from './small-exports';

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      publisher: { type: 'string' },
      repeat: { type: 'string' },
      formats: { type: 'string' },
      schedules: { type: 'string' },
      only: { type: 'string' },
      'retention-rows': { type: 'string' },
      'small-exports': { type: 'string' },
      'runtime-rows': { type: 'string' },
    },
  });
  const only = new Set((values.only ?? 'exports,small,retention,schedules,runtime').split(','));
  const log = (l: string) => console.log(l);
  if (only.has('exports')) {
    const rows = Number(values.rows ?? 1_000_000);
    console.log(
      `\n## Exports: ${rows.toLocaleString('en')} install events, API call → object stored in S3, vs what a user would type (B0 psql \\copy, B1 ordered, B2 | aws s3 cp -)`,
    );
    const table = await benchExports({
      rows,
      repeat: Number(values.repeat ?? 1),
      formats: values.formats?.split(','),
      publisherId: values.publisher,
      log,
    });
    console.table(
      table.map(({ baselines, ratios, ...row }) => ({
        ...row,
        ...Object.fromEntries(Object.entries(baselines).map(([n, s]) => [`${n} s`, s])),
        ...Object.fromEntries(Object.entries(ratios).map(([n, r]) => [`vs ${n}`, r])),
      })),
    );
  }
  if (only.has('small')) {
    const n = Number(values['small-exports'] ?? 300);
    console.log(`\n## Small exports: ${n} exports of ~1.2k rows through the API, by 1 and by 2 worker processes`);
    console.table(await benchSmallExports({ exports: n, processes: [1, 2], concurrency: [undefined, 8], log }));
  }
  if (only.has('retention')) {
    console.log('\n## Retention: one pass over 25 months vs a plain DELETE of the same month');
    console.log(
      await benchRetention({ installs: values['retention-rows'] ? Number(values['retention-rows']) : undefined, log }),
    );
  }
  if (only.has('schedules')) {
    const n = Number(values.schedules ?? 10_000);
    console.log(`\n## Scheduled reports: ${n.toLocaleString('en')} weekly schedules due at the same moment`);
    console.table(await benchSchedules({ schedules: n, processes: [1, 2], log }));
  }
  if (only.has('runtime')) {
    const rows = Number(values['runtime-rows'] ?? 200_000);
    console.log(
      `\n## Runtime: start time and memory of the API and the export worker (worker load: CSV exports of ${rows.toLocaleString('en')} rows)`,
    );
    console.table(await benchRuntime({ rows, repeat: Number(values.repeat ?? 3), log }));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
