import type { Command } from '../command';
import { withDb } from '../db';

export const migrateCommand: Command = {
  path: ['migrate'],
  summary: 'Create the database when missing and apply pending migrations',
  usage: 'pnpm --silent cli migrate',
  options: {},
  run: (_v, io) =>
    withDb(
      io.env,
      async () => {
        io.err('database is up to date\n');
        return 0;
      },
      { migrate: true },
    ),
};
