// The COPY module against real PostgreSQL: repeated COPY → gzip → slow sink with a usable connection
// after each run, errors surfaced as rejections with their SQLSTATE, and aborts that leave no active backend.
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { createCopyPool, settingRef, withCopyStream } from '@ax/db';
import { createTestDatabase, type TestDb } from '@ax/testing';

let db: TestDb;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createCopyPool(db.url, 1); // one connection: every run reuses the previous run's client
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** A sink slower than PostgreSQL: it pauses now and then, so backpressure reaches the COPY. */
const slowSink = () => {
  let bytes = 0;
  let writes = 0;
  const sink = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (++writes % 4 === 0) setTimeout(done, 2);
      else done();
    },
  });
  return { sink, bytes: () => bytes };
};

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} hung for ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const pid = async () => (await pool.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;

it('streams 30+ COPY → gzip → slow sink runs and the connection answers after each', async () => {
  const firstPid = await pid();
  for (let run = 0; run < 32; run++) {
    const rows = 2000 + run * 517;
    const { sink, bytes } = slowSink();
    await within(
      withCopyStream(pool, { text: `select g, md5(g::text) from generate_series(1, ${settingRef('n', 'int')}) g`, settings: { n: String(rows) } },
        (source) => pipeline(source, createGzip({ level: 1 }), sink)),
      20_000, `COPY run ${run}`,
    );
    expect(bytes()).toBeGreaterThan(0);
    const answer = await within(pool.query('select 1 as one'), 5000, `query after run ${run}`);
    expect(answer.rows[0].one).toBe(1);
  }
  expect(await pid()).toBe(firstPid); // the same connection carried every run
});

it('passes values only as settings, read back exactly', async () => {
  const chunks: Buffer[] = [];
  await withCopyStream(pool, { text: `select ${settingRef('who', 'text')}, ${settingRef('ids', 'text[]')}`, settings: { who: `O'Brien "x"; drop table y`, ids: '{"a,b",c}' } },
    (source) => pipeline(source, new Writable({ write(c, _e, d) { chunks.push(c); d(); } })));
  expect(Buffer.concat(chunks).toString()).toBe(`"O'Brien ""x""; drop table y","{""a,b"",c}"\n`);
});

describe.each([
  ['at parse time', 'select nosuchcolumn from generate_series(1, 10) g', '42703'],
  ['at the first row', 'select 1 / (g - 1) from generate_series(1, 10) g', '22012'],
  ['midway', 'select g, 1 / (g - 50000) from generate_series(1, 100000) g', '22012'],
])('an error %s', (_when, text, code) => {
  it('rejects with its SQLSTATE and leaves the pool usable', async () => {
    const { sink } = slowSink();
    await expect(withCopyStream(pool, { text, settings: {} }, (source) => pipeline(source, createGzip(), sink)))
      .rejects.toMatchObject({ code });
    expect((await within(pool.query('select 2 as two'), 5000, 'query after error')).rows[0].two).toBe(2);
  });
});

it('an aborted COPY leaves no active backend and the pool usable', async () => {
  const marker = `abort_marker_${Date.now()}`;
  let copyPid = 0;
  await expect(
    withCopyStream(pool, { text: `select g, '${marker}' from (select generate_series(1, 50000000) as g) s`, settings: {} }, async (source) => {
      copyPid = (await db.sql`select pid from pg_stat_activity where query like ${'%' + marker + '%'} and pid <> pg_backend_pid()`)[0]?.pid as number;
      let seen = 0;
      await pipeline(source, new Writable({
        write(chunk: Buffer, _e, done) {
          seen += chunk.length;
          done(seen > 1_000_000 ? new Error('consumer gave up') : null);
        },
      }));
    }),
  ).rejects.toThrow('consumer gave up');
  expect(copyPid).toBeGreaterThan(0);
  for (let i = 0; i < 100; i++) {
    const [row] = await db.sql`select state from pg_stat_activity where pid = ${copyPid}`;
    if (!row || row.state !== 'active') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const [still] = await db.sql`select state from pg_stat_activity where pid = ${copyPid} and state = 'active'`;
  expect(still).toBeUndefined();
  expect((await within(pool.query('select 3 as three'), 5000, 'query after abort')).rows[0].three).toBe(3);
});
