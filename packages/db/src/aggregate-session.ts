// The session a JSON export's aggregate runs in: one reserved connection with room to sort in memory (count(distinct …)
// over millions of rows spills to disk with the default 4 MB work_mem), without JIT (compiling this parameterised
// aggregate cost more than it saved: 1M rows took 1.6–2.4 s with JIT, 0.8–1.0 s without, in the same run), and always
// planned with the values bound: postgres.js prepares statements, and after five runs PostgreSQL may switch to a
// generic plan, which can neither prune partitions at plan time nor estimate the range's rows.
import type { Sql } from './client';

export async function withAggregateSession<T>(sql: Sql, run: (conn: Sql) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  try {
    await conn`select set_config('work_mem', '64MB', false), set_config('jit', 'off', false), set_config('plan_cache_mode', 'force_custom_plan', false)`;
    return await run(conn);
  } finally {
    await conn`reset all`.catch(() => {});
    conn.release();
  }
}
