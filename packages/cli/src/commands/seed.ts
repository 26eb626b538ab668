import { loadConfig, retentionEnv } from '@ax/config';
import { retentionCutoff } from '@ax/retention';
import { defaultSeed, seed } from '@ax/seed';
import { intOption, type Command } from '../command';
import { withDb } from '../db';

export const seedCommand: Command = {
  path: ['seed'],
  summary: 'Fill the analytics tables with synthetic marketplace data (replaces existing rows unless --append)',
  usage:
    'pnpm --silent cli seed [--publishers 20] [--packages-per-publisher 5] [--installs 200000] [--reviews 20000] ' +
    '[--reputation-events 10000] [--days 720] [--seed 42] [--append]',
  options: {
    publishers: { type: 'string' },
    'packages-per-publisher': { type: 'string' },
    installs: { type: 'string' },
    reviews: { type: 'string' },
    'reputation-events': { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    append: { type: 'boolean' },
  },
  async run(v, io) {
    const options = {
      publishers: intOption(v, 'publishers', defaultSeed.publishers, 1),
      packagesPerPublisher: intOption(v, 'packages-per-publisher', defaultSeed.packagesPerPublisher, 1),
      installs: intOption(v, 'installs', defaultSeed.installs),
      reviews: intOption(v, 'reviews', defaultSeed.reviews),
      reputationEvents: intOption(v, 'reputation-events', defaultSeed.reputationEvents),
      days: intOption(v, 'days', defaultSeed.days, 1),
      seed: intOption(v, 'seed', defaultSeed.seed),
      replace: !v.append,
    };
    // Days before the cutoff would be deleted by the next retention pass: seeding them only hides that.
    const months = loadConfig(retentionEnv, io.env).RETENTION_MONTHS;
    const today = new Date().toISOString().slice(0, 10);
    const kept = (Date.parse(today) - Date.parse(retentionCutoff(today, months))) / 86_400_000;
    if (options.days > kept) {
      io.err(`--days must be at most ${kept}: older data is outside the ${months}-month retention\n`);
      return 2;
    }
    return withDb(
      io.env,
      async (sql) => {
        const started = Date.now();
        const counts = await seed(sql, options);
        for (const [table, n] of Object.entries(counts)) io.out(`${table.padEnd(32)} ${n}\n`);
        io.err(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        return 0;
      },
      { migrate: true },
    );
  },
};
