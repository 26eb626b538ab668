// Every dataset's COPY query and JSON aggregate is planned with its real values: the plan reads only the partitions
// of the range (pruned at plan time, not at run time), and the raw-row datasets estimate about the rows they return.
// A value the planner cannot see (current_setting(), a generic plan) plans ~200 rows and every partition. And the
// queries that run on every request or every watchdog round read only the live exports, not the finished ones.
import type pg from 'pg';
import postgres from 'postgres';
import {
  countActiveExports,
  createCopyPool,
  findStalledExports,
  renderCopyQuery,
  withAggregateSession,
  type Sql,
} from '@ax/db';
import { allDatasets, type Dataset, type DatasetScope } from '@ax/datasets';
import { createTestDatabase, type TestDb } from '@ax/testing';
import { seed } from '@ax/seed';

let db: TestDb;
let pool: pg.Pool;

// A whole UTC month three months back: one monthly partition of each event table.
const month = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 3, 1));
const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
const partition = (table: string) =>
  `${table}_p${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
const scope: DatasetScope = {
  from: month,
  to: next,
  timezone: 'UTC',
  granularity: 'day',
  publisherId: 'pub-001',
  packageIds: null,
};
const scopeFor = (d: Dataset): DatasetScope => (d.ownership === 'none' ? { ...scope, publisherId: null } : scope);

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createCopyPool(db.url, 1);
  await seed(db.sql, { installs: 120_000, reviews: 20_000, reputationEvents: 20_000, days: 400 });
  await db.sql`vacuum analyze`;
}, 120_000);
afterAll(async () => {
  await pool.end();
  await db.drop();
});

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows': number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Subplans Removed'?: number;
  Plans?: PlanNode[];
};
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
const relations = (plan: PlanNode) =>
  [...new Set(nodes(plan).flatMap((n) => (n['Relation Name'] ? [n['Relation Name']] : [])))].sort();

/** Relations a plan may read: the range's partition of an event table, or the plain table, and packages for the owner. */
function expectedRelations(d: Dataset): string[] {
  const partitioned = ['install_events', 'reviews', 'reputation_events'].includes(d.table);
  return [partitioned ? partition(d.table) : d.table, ...(d.ownership === 'packages' ? ['packages'] : [])].sort();
}

async function copyPlan(d: Dataset): Promise<{ plan: PlanNode; text: string; rows: number; read: number }> {
  const query = d.csv(scopeFor(d));
  const text = renderCopyQuery(query);
  const client = await pool.connect();
  try {
    // One run under EXPLAIN ANALYZE gives the plan, its estimate, the rows it returned and what it read.
    const plan = (await client.query(`explain (analyze, timing off, format json) ${text}`)).rows[0]['QUERY PLAN'][0]
      .Plan as PlanNode;
    return { plan, text, rows: plan['Actual Rows']!, read: rowsRead(plan, d.table) };
  } finally {
    client.release();
  }
}

/** Rows the scans of `table` (its partitions) produced or threw away, over all their loops: what the query read of it. */
const rowsRead = (plan: PlanNode, table: string) =>
  nodes(plan)
    .filter((n) => n['Relation Name']?.startsWith(table))
    .reduce(
      (sum, n) =>
        sum +
        ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) *
          (n['Actual Loops'] ?? 1),
      0,
    );

describe.each(allDatasets().map((d) => [d.id, d] as const))('%s', (_id, d) => {
  it('COPY: values as literals, only the range partition planned, no run-time pruning', async () => {
    const { plan, text, rows, read } = await copyPlan(d);
    expect(text).not.toMatch(/current_setting|\{\{/);
    expect(rows).toBeGreaterThan(0);
    expect(relations(plan)).toEqual(expectedRelations(d));
    expect(nodes(plan).some((n) => n['Subplans Removed'] !== undefined)).toBe(false);
    if (d.csvSplitsByTime) {
      // Raw rows: the estimate is within a factor of 3 of the rows (a hidden value estimates a fixed ~0.5%).
      expect({
        estimate: plan['Plan Rows'],
        rows,
        ok: plan['Plan Rows'] > rows / 3 && plan['Plan Rows'] < rows * 3,
      }).toMatchObject({ ok: true });
      // A publisher's raw rows are found through the (package_id, time) index: the other publishers' rows of the
      // month are not read (a hash join with the publisher's packages read and dropped them all, README "Publisher scope").
      if (d.ownership === 'packages') expect({ rows, read, ok: read <= rows * 1.5 }).toMatchObject({ ok: true });
    }
  });

  it('JSON: the aggregate is planned with its values, also after many runs on one connection', async () => {
    await withAggregateSession(db.sql, async (conn: Sql) => {
      const [row] = await conn<
        { 'QUERY PLAN': [{ Plan: PlanNode }] }[]
      >`explain (format json) ${d.jsonAggregate(conn, scopeFor(d))}`;
      const plan = row!['QUERY PLAN'][0].Plan;
      expect(relations(plan)).toEqual(expectedRelations(d));
      expect(nodes(plan).some((n) => n['Subplans Removed'] !== undefined)).toBe(false);
      // postgres.js prepares the statement; past PostgreSQL's first five custom plans it may turn generic, which
      // EXPLAIN above would not show. The server counts which plans each prepared statement ran with.
      for (let i = 0; i < 8; i++) await d.jsonAggregate(conn, scopeFor(d));
      const stats = await conn<{ generic_plans: number; custom_plans: number }[]>`
        select generic_plans::int, custom_plans::int from pg_prepared_statements
        where statement like ${`%from analytics.${d.table}%`} and generic_plans + custom_plans >= 8`;
      expect(stats.length).toBeGreaterThan(0);
      for (const st of stats) expect(st).toEqual({ generic_plans: 0, custom_plans: expect.any(Number) });
    });
  });
});

describe('queries over app.exports read only the live exports, however many finished ones there are', () => {
  let keyId: string;
  // The statements the functions send, caught through postgres.js' debug option, then run again under EXPLAIN ANALYZE.
  const sent: { text: string; params: unknown[] }[] = [];
  let sql: Sql;
  /** What `call` returned, and the rows of app.exports its last statement read. */
  const withRowsRead = async <T>(call: () => Promise<T>): Promise<{ result: T; read: number }> => {
    const result = await call();
    const { text, params } = sent.at(-1)!;
    const [row] = await sql.unsafe<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(
      `explain (analyze, format json) ${text}`,
      params as never[],
    );
    return { result, read: rowsRead(row!['QUERY PLAN'][0].Plan, 'exports') };
  };

  beforeAll(async () => {
    const [key] = await db.sql<{ id: string }[]>`
      insert into app.api_keys (name, role, publisher_id, token_hash) values ('plans', 'publisher', 'pub-001', 'x')
      returning id`;
    keyId = key!.id;
    // 3,000 finished exports of the publisher's key and 2 queued ones (stalled: an hour old), as after months of use.
    await db.sql`
      insert into app.exports (dataset, format, compression, range_from, range_to, from_input, to_input, timezone,
                               granularity, scope_publisher_id, owner_publisher_id, api_key_id, status, created_at)
      select 'install_events', 'csv', 'none', now() - interval '1 day', now(), 'a', 'b', 'UTC', 'day', 'pub-001',
             'pub-001', ${keyId}, case when g <= 2 then 'queued' else 'succeeded' end, now() - interval '1 hour'
      from generate_series(1, 3000) g`;
    await db.sql`vacuum analyze app.exports`;
    sql = postgres(db.url, { max: 1, debug: (_c, text, params) => sent.push({ text, params }) });
  });
  afterAll(() => sql.end());

  it("the active-export limit counts an owner's queued and running exports only", async () => {
    for (const owner of [
      { publisherId: 'pub-001', apiKeyId: keyId },
      { publisherId: null, apiKeyId: keyId },
    ]) {
      const { result, read } = await withRowsRead(() => countActiveExports(sql, owner));
      expect({ owner, result, read }).toEqual({ owner, result: 2, read: 2 });
    }
  });

  it("the watchdog's search for stalled exports reads the queued and running ones only", async () => {
    const { result, read } = await withRowsRead(() => findStalledExports(sql, 60_000));
    expect(result).toHaveLength(2);
    expect(read).toBe(2);
  });
});
