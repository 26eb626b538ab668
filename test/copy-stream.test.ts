// The COPY module against real PostgreSQL: repeated COPY → gzip → slow sink with a usable connection
// after each run, errors surfaced as rejections with their SQLSTATE, aborts that leave no active backend, the
// CSV it returns (CRLF record ends, quoted line breaks, long rows), and time slices read under one snapshot.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import { createCopyPool, createSql, copyValue, renderCopyQuery, withCopyStream } from '@ax/db';
import { textCell, utcTimestamp } from '@ax/datasets';
import { createTestDatabase, TEST_PG_BASE, type TestDb } from '@ax/testing';

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
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} hung for ${ms} ms`)), ms))),
    ]);
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
      withCopyStream(
        pool,
        {
          text: `select g, md5(g::text) from generate_series(1, ${copyValue('n', 'int')}) g`,
          values: { n: String(rows) },
        },
        (source) => pipeline(source, createGzip({ level: 1 }), sink),
      ),
      20_000,
      `COPY run ${run}`,
    );
    expect(bytes()).toBeGreaterThan(0);
    const answer = await within(pool.query('select 1 as one'), 5000, `query after run ${run}`);
    expect(answer.rows[0].one).toBe(1);
  }
  expect(await pid()).toBe(firstPid); // the same connection carried every run
});

const hostile = [
  `O'Brien "x"; drop table y`,
  "') to stdout; drop table held; --",
  "back\\slash \\' and E'\\x41'",
  '$$ dollar $$ $tag$ quoted $tag$',
  '%s %1$L %% {{who}} ::int',
  'line\nbreak\ttab',
  'ünïcødé ✓',
];

// Also on a server where a backslash in a plain '' literal is an escape (standard_conforming_strings off): the
// quoting must hold there too.
const legacyUrl = () => {
  const url = new URL(db.url);
  url.searchParams.set('options', '-c standard_conforming_strings=off');
  return url.toString();
};

it.each([
  ['on', () => ({ pool, close: async () => {} })],
  [
    'off',
    () => {
      const legacy = createCopyPool(legacyUrl(), 1);
      return { pool: legacy, close: () => legacy.end() };
    },
  ],
])(
  'quotes hostile values in as literals that read back exactly and change nothing else (standard_conforming_strings %s)',
  async (setting, open) => {
    const { pool, close } = open();
    try {
      const shown = await pool.query<{ standard_conforming_strings: string }>('show standard_conforming_strings');
      expect(shown.rows[0]!.standard_conforming_strings).toBe(setting);
      for (const who of hostile) {
        const chunks: Buffer[] = [];
        const text = `select ${copyValue('who', 'text')}, ${copyValue('ids', 'text[]')}, length(${copyValue('who', 'text')}), '100%'`;
        await withCopyStream(pool, { text, values: { who, ids: '{"a,b",c}' } }, (source) =>
          pipeline(
            source,
            new Writable({
              write(c, _e, d) {
                chunks.push(c);
                d();
              },
            }),
          ),
        );
        const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
        expect(Buffer.concat(chunks).toString()).toBe(`${cell(who)},"{""a,b"",c}",${[...who].length},100%\r\n`);
      }
    } finally {
      await close();
    }
  },
);

it('runs a one-slice COPY as one query (its transaction, the COPY, the COMMIT) and returns an idle connection', async () => {
  const sent: string[] = [];
  const record = (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: string };
      sent.push(typeof first === 'string' ? first : (first.text ?? ''));
      return query(...args);
    };
  };
  const counting = createCopyPool(db.url, 1);
  counting.on('connect', record);
  try {
    const csv = await withCopyStream(counting, { text: 'select g from generate_series(1, 3) g', values: {} }, collect);
    expect(csv.toString()).toBe('1\r\n2\r\n3\r\n');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(
      /^begin isolation level repeatable read read only; .*; copy \(select g .*\) to stdout with \(format csv\); commit$/s,
    );
    // Committed: the connection is back at the server's default isolation, outside any transaction.
    const { rows } = await counting.query<{ transaction_isolation: string }>('show transaction_isolation');
    expect(rows[0]!.transaction_isolation).toBe('read committed');
  } finally {
    await counting.end();
  }
});

it('refuses a NUL in a value before any COPY runs, and the connection stays usable', async () => {
  await expect(
    withCopyStream(pool, { text: `select ${copyValue('who', 'text')}`, values: { who: 'a\u0000b' } }, async () => {}),
  ).rejects.toMatchObject({ code: '22021' });
  expect((await pool.query('select 1 as one')).rows[0]).toEqual({ one: 1 });
});

it('refuses a query that reads a value it does not carry', async () => {
  await expect(
    withCopyStream(pool, { text: `select ${copyValue('missing', 'int')}`, values: {} }, async () => {}),
  ).rejects.toThrow(/carries no value/);
});

it('lets the planner see the values: literals in the plan, and partitions pruned at plan time', async () => {
  const text = `select e.package_id from analytics.install_events e
                where e.install_date >= ${copyValue('from', 'timestamptz')} and e.install_date < ${copyValue('to', 'timestamptz')}`;
  const client = await pool.connect();
  try {
    const q = renderCopyQuery({ text, values: { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' } });
    expect(q).toContain("'2026-03-01T00:00:00Z'::timestamptz");
    const plan = (await client.query(`explain (format json) ${q}`)).rows[0]['QUERY PLAN'][0].Plan;
    const relations = JSON.stringify(plan).match(/"Relation Name":"[^"]+"/g) ?? [];
    expect(relations).toEqual(['"Relation Name":"install_events_p2026_03"']);
  } finally {
    client.release();
  }
});

describe.each([
  ['at parse time', 'select nosuchcolumn from generate_series(1, 10) g', '42703'],
  ['at the first row', 'select 1 / (g - 1) from generate_series(1, 10) g', '22012'],
  ['midway', 'select g, 1 / (g - 50000) from generate_series(1, 100000) g', '22012'],
])('an error %s', (_when, text, code) => {
  it('rejects with its SQLSTATE and leaves the pool usable', async () => {
    const { sink } = slowSink();
    await expect(
      withCopyStream(pool, { text, values: {} }, (source) => pipeline(source, createGzip(), sink)),
    ).rejects.toMatchObject({ code });
    expect((await within(pool.query('select 2 as two'), 5000, 'query after error')).rows[0].two).toBe(2);
  });
});

it('an aborted COPY leaves no active backend and the pool usable', async () => {
  const marker = `abort_marker_${Date.now()}`;
  let copyPid = 0;
  await expect(
    withCopyStream(
      pool,
      { text: `select g, '${marker}' from (select generate_series(1, 50000000) as g) s`, values: {} },
      async (source) => {
        copyPid = (
          await db.sql`select pid from pg_stat_activity where query like ${'%' + marker + '%'} and pid <> pg_backend_pid()`
        )[0]?.pid as number;
        let seen = 0;
        await pipeline(
          source,
          new Writable({
            write(chunk: Buffer, _e, done) {
              seen += chunk.length;
              done(seen > 1_000_000 ? new Error('consumer gave up') : null);
            },
          }),
        );
      },
    ),
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

const collect = async (source: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

it('a backend terminated mid-COPY rejects with its SQLSTATE and leaves the pool usable', async () => {
  await db.sql`create table if not exists held (n int)`;
  const holder = await db.sql.reserve();
  try {
    await holder`begin`;
    await holder`lock table held in access exclusive mode`;
    const copying = withCopyStream(
      pool,
      { text: 'select g, n from generate_series(1, 10) g left join held on true', values: {} },
      collect,
    );
    copying.catch(() => {});
    let killed = 0;
    for (let i = 0; i < 500 && !killed; i++) {
      killed = (
        await db.sql`select pg_terminate_backend(pid) from pg_stat_activity
                     where query ilike '%copy (%held%' and state = 'active' and pid <> pg_backend_pid()`
      ).length;
      if (!killed) await new Promise((r) => setTimeout(r, 10));
    }
    expect(killed).toBe(1);
    await expect(copying).rejects.toMatchObject({ code: '57P01' });
  } finally {
    await holder`commit`;
    holder.release();
  }
  expect((await within(pool.query('select 5 as five'), 5000, 'query after kill')).rows[0].five).toBe(5);
});

describe('the CSV it returns', () => {
  it('ends every record with CRLF, keeps line breaks inside quoted fields, and counts records', async () => {
    let records = 0;
    const bytes = await withCopyStream(
      pool,
      {
        text: `select n, t from (values (1, 'a'), (2, E'x\\ny'), (3, E'x\\r\\ny'), (4, E'x\\r'), (5, 'he said "hi"'), (6, 'a,b'),
               (7, 'žluťoučký 🐎'), (8, ''), (9, null)) v(n, t) order by n`,
        values: {},
      },
      async (source) => {
        const b = await collect(source);
        records = source.records;
        return b;
      },
      { prefix: Buffer.from('\uFEFFn,t\r\n') },
    );
    expect(bytes.toString('utf8')).toBe(
      '\uFEFFn,t\r\n1,a\r\n2,"x\ny"\r\n3,"x\r\ny"\r\n4,"x\r"\r\n5,"he said ""hi"""\r\n6,"a,b"\r\n7,žluťoučký 🐎\r\n8,""\r\n9,\r\n',
    );
    expect(records).toBe(9);
  });

  it('is UTF-8 whatever the database encoding (a LATIN1 database)', async () => {
    const name = `ax_test_latin1_${randomBytes(4).toString('hex')}`;
    const admin = createSql(`${TEST_PG_BASE}/postgres`, { max: 1 });
    await admin.unsafe(`create database "${name}" encoding 'LATIN1' locale 'C' template template0`);
    const latin1 = createCopyPool(`${TEST_PG_BASE}/${name}`, 1);
    try {
      // chr() gives LATIN1 characters in a LATIN1 database: é ½ ï are single bytes there, two each in UTF-8. COPY
      // sends the client encoding, which pg-protocol sets to UTF8 at every connection's startup.
      const text = `select 'caf' || chr(233) || ' ' || chr(189) || ' na' || chr(239) || 've'`;
      const bytes = await withCopyStream(latin1, { text, values: {} }, collect);
      expect(bytes.toString('hex')).toBe(Buffer.from('café ½ naïve\r\n', 'utf8').toString('hex'));
    } finally {
      await latin1.end();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });

  it("runs with the COPY session's settings whatever the database's defaults (DateStyle, time zone, work_mem, JIT)", async () => {
    const name = `ax_test_dmy_${randomBytes(4).toString('hex')}`;
    const admin = createSql(`${TEST_PG_BASE}/postgres`, { max: 1 });
    await admin.unsafe(`create database "${name}"`);
    await admin.unsafe(`alter database "${name}" set datestyle = 'SQL, DMY'`);
    await admin.unsafe(`alter database "${name}" set work_mem = '4MB'`);
    await admin.unsafe(`alter database "${name}" set timezone = 'Asia/Kolkata'`);
    const dmy = createCopyPool(`${TEST_PG_BASE}/${name}`, 2);
    const text = `select date '2026-03-04', timestamp '2026-03-04 05:06:07', timestamptz '2026-03-04 05:06:07Z',
                         current_setting('work_mem'), current_setting('jit')`;
    try {
      const one = await withCopyStream(dmy, { text, values: {} }, collect);
      expect(one.toString('utf8')).toBe('2026-03-04,2026-03-04 05:06:07,2026-03-04 05:06:07+00,64MB,off\r\n');
      // A URL's own startup options are kept, and cannot undo the COPY session's settings.
      const withOptions = createCopyPool(
        `${TEST_PG_BASE}/${name}?options=${encodeURIComponent('-c DateStyle=German -c search_path=pg_catalog')}`,
        1,
      );
      try {
        const viaUrl = await withCopyStream(
          withOptions,
          { text: `${text}, current_setting('search_path')`, values: {} },
          collect,
        );
        expect(viaUrl.toString('utf8')).toBe(
          '2026-03-04,2026-03-04 05:06:07,2026-03-04 05:06:07+00,64MB,off,pg_catalog\r\n',
        );
      } finally {
        await withOptions.end();
      }
      // Two slices run in a shared-snapshot transaction: the same settings there.
      const two = await withCopyStream(
        dmy,
        [
          { text, values: {} },
          { text, values: {} },
        ],
        collect,
      );
      expect(two.toString('utf8')).toBe('2026-03-04,2026-03-04 05:06:07,2026-03-04 05:06:07+00,64MB,off\r\n'.repeat(2));
    } finally {
      await dmy.end();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });

  it('handles rows longer than a socket read, with CRs at every possible read boundary', async () => {
    // Quoted fields full of CRs and LFs: wherever a read ends, a CR there must be held back correctly.
    const text = `select g, repeat(E'ab\\r', 30000 + g) || E'\\r\\n', repeat('z', 70000 * g) from generate_series(1, 12) g`;
    const bytes = await withCopyStream(pool, { text, values: {} }, collect);
    const expected = Array.from({ length: 12 }, (_, k) => {
      const g = k + 1;
      return `${g},"${'ab\r'.repeat(30000 + g)}\r\n",${'z'.repeat(70000 * g)}\r\n`;
    }).join('');
    expect(bytes.length).toBe(Buffer.byteLength(expected));
    expect(bytes.toString('utf8') === expected).toBe(true);
  });
});

describe('a last column written by the reader (utcTimestampLast)', () => {
  // Rows of every length around a socket read's size, timestamps with and without fractions, and a quoted field
  // holding a timestamp and a line break before the last one.
  const from = `from generate_series(1, 40000) g, lateral (select timestamptz '2026-03-04 05:06:07+00'
                  + g * interval '1 second' + (g % 7) * interval '123457 microseconds' as t) x`;
  const fields = `g, repeat('x', g % 97), case when g % 5 = 0 then E'a,"b"\n' || t::text end`;

  it('is exactly what the SQL formatting gave, whatever the read boundaries', async () => {
    const sqlFormatted = await withCopyStream(
      pool,
      {
        text: `select ${fields}, ${utcTimestamp('t')} ${from} order by g`,
        values: {},
      },
      collect,
    );
    let records = 0;
    const rewritten = await withCopyStream(
      pool,
      { text: `select ${fields}, t ${from} order by g`, values: {}, utcTimestampLast: true },
      async (source) => {
        const b = await collect(source);
        records = source.records;
        return b;
      },
    );
    expect(records).toBe(40000);
    expect(rewritten.length).toBe(sqlFormatted.length);
    expect(rewritten.equals(sqlFormatted)).toBe(true);
    expect(rewritten.toString().split('\r\n')[0]).toBe('1,x,,2026-03-04T05:06:08Z');
  });

  it('fails the export when the last column is not such a timestamp, and the pool stays usable', async () => {
    await expect(
      withCopyStream(
        pool,
        { text: `select g, g::text from generate_series(1, 3) g`, values: {}, utcTimestampLast: true },
        collect,
      ),
    ).rejects.toThrow(/not a UTC timestamp/);
    expect((await pool.query('select 1 as one')).rows[0].one).toBe(1);
  });
});

describe('leading text cells guarded by the reader (leadingTextCells)', () => {
  // Hostile first characters, numbers and near-numbers, quoted values (commas, quotes, line breaks), non-ASCII, and
  // lengths around a socket read's size, in both text cells of every row.
  const starts = `array['=', '+', '-', '@', E'\\t', E'\\r', '"', ',', E'\\n', '''', 'a', '1', 'é', '']`;
  const tails = `array['', '1', '1.5', '.5e3', 'cmd()', 'a,b', 'q"q', E'x\\ny', '1e', ' 1', E'-\\r']`;
  const from = `from generate_series(1, 20000) g,
                lateral (select (${starts})[1 + g % 14] || (${tails})[1 + (g / 14) % 11]
                                || repeat('z', case when g % 13 = 0 then g % 4000 else 0 end) as a,
                                (${starts})[1 + (g / 7) % 14] || (${tails})[1 + g % 11] as b,
                                timestamptz '2026-03-04 05:06:07.5+00' + g * interval '1 second' as t) x`;

  it('writes exactly what app.csv_text in SQL wrote, byte for byte', async () => {
    const sqlGuarded = await withCopyStream(
      pool,
      {
        text: `select ${textCell('a')}, ${textCell('b')}, g, ${utcTimestamp('t')} ${from} order by g`,
        values: {},
      },
      collect,
    );
    const readerGuarded = await withCopyStream(
      pool,
      { text: `select a, b, g, t ${from} order by g`, values: {}, leadingTextCells: 2, utcTimestampLast: true },
      collect,
    );
    const text = sqlGuarded.toString();
    expect(text).toContain("'=cmd()");
    expect(text).toContain(`"'\r`);
    expect(text).toContain(',-1.5,');
    expect(readerGuarded.length).toBe(sqlGuarded.length);
    expect(readerGuarded.equals(sqlGuarded)).toBe(true);
  });
});

describe('time slices under one snapshot', () => {
  const slice = (lo: number, hi: number) => ({
    text: `select g, md5(g::text), case when g % 7 = 0 then E'line\\nbreak' else '' end from generate_series(${copyValue('lo', 'int')}, ${copyValue('hi', 'int')} - 1) g`,
    values: { lo: String(lo), hi: String(hi) },
  });

  it("concatenate, in order, into exactly the CSV of one query, whatever the consumer's pace", async () => {
    const manyPool = createCopyPool(db.url, 4);
    try {
      const whole = await withCopyStream(manyPool, slice(1, 90_001), collect, { prefix: Buffer.from('h\r\n') });
      let records = 0;
      const sliced = await withCopyStream(
        manyPool,
        [slice(1, 20_001), slice(20_001, 20_001), slice(20_001, 70_001), slice(70_001, 90_001)],
        async (source) => {
          const chunks: Buffer[] = [];
          // Slower than PostgreSQL: the later slices get well ahead and wait in their spools.
          await pipeline(
            source,
            new Writable({
              write(c: Buffer, _e, done) {
                chunks.push(c);
                setTimeout(done, chunks.length % 4 ? 0 : 2);
              },
            }),
          );
          records = source.records;
          return Buffer.concat(chunks);
        },
        { prefix: Buffer.from('h\r\n') },
      );
      expect(sliced.equals(whole)).toBe(true);
      expect(records).toBe(90_000);
      expect(whole.toString().startsWith('h\r\n1,')).toBe(true);
    } finally {
      await manyPool.end();
    }
  });

  it('all read from the same snapshot, while other transactions commit', async () => {
    const manyPool = createCopyPool(db.url, 3);
    const burner = createCopyPool(db.url, 1);
    let burning = true;
    const burn = (async () => {
      while (burning) await burner.query('select txid_current()'); // takes a new transaction id each time
    })();
    try {
      const snap = { text: 'select pg_current_snapshot()::text', values: {} };
      for (let run = 0; run < 10; run++) {
        const text = (await withCopyStream(manyPool, [snap, snap, snap], collect)).toString();
        const [a, b, c] = text.trim().split('\r\n');
        expect([b, c]).toEqual([a, a]);
      }
    } finally {
      burning = false;
      await burn;
      await burner.end();
      await manyPool.end();
    }
  });

  it('a later slice failing fails the whole stream, cancels every backend and leaves the pools usable', async () => {
    const manyPool = createCopyPool(db.url, 3);
    const marker = `slice_marker_${Date.now()}`;
    try {
      // generate_series in the select list streams; in FROM it would be materialised first.
      const failing = {
        text: `select g, '${marker}', 1 / (g - 100000) from (select generate_series(1, 5000000) as g) s`,
        values: {},
      };
      const long = { text: `select g, '${marker}' from (select generate_series(1, 5000000) as g) s`, values: {} };
      await expect(
        withCopyStream(manyPool, [long, failing, long], (source) => pipeline(source, slowSink().sink)),
      ).rejects.toMatchObject({ code: '22012' });
      for (let i = 0; i < 100; i++) {
        const active =
          await db.sql`select count(*)::int as n from pg_stat_activity where query like ${'%' + marker + '%'} and state = 'active' and pid <> pg_backend_pid()`;
        if (active[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const [left] =
        await db.sql`select count(*)::int as n from pg_stat_activity where query like ${'%' + marker + '%'} and state = 'active' and pid <> pg_backend_pid()`;
      expect(left!.n).toBe(0);
      expect((await within(manyPool.query('select 4 as four'), 5000, 'query after slice failure')).rows[0].four).toBe(
        4,
      );
    } finally {
      await manyPool.end();
    }
  });

  it('leaves no spool file behind, after success or failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ax-spool-test-'));
    const manyPool = createCopyPool(db.url, 2);
    try {
      await withCopyStream(
        manyPool,
        [slice(1, 1000), slice(1000, 50_000)],
        async (source) => {
          const bytes = await collect(source);
          expect(readdirSync(dir)).toEqual([]); // unlinked as soon as it was created
          return bytes;
        },
        { spoolDir: dir },
      );
      const bad = { text: 'select 1 / 0', values: {} };
      await expect(withCopyStream(manyPool, [slice(1, 1000), bad], collect, { spoolDir: dir })).rejects.toMatchObject({
        code: '22012',
      });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await manyPool.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
