// The CLI's database connection, from DATABASE_URL (validated like every service's config).
import { loadConfig, postgresEnv } from '@ax/config';
import { createSql, ensureDatabase, migrate, type Sql } from '@ax/db';

export async function withDb<T>(
  env: NodeJS.ProcessEnv,
  fn: (sql: Sql) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig(postgresEnv, env);
  if (opts.migrate) await ensureDatabase(config.DATABASE_URL);
  const sql = createSql(config.DATABASE_URL, { max: 2, applicationName: 'cli' });
  try {
    if (opts.migrate) await migrate(sql);
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
