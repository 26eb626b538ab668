// COPY ... TO STDOUT as a Node stream of CRLF CSV records. This is the one place that uses node-postgres (with our
// own protocol reader, copy-out.ts): postgres.js 3.4.9 COPY streams wedge their connection after a slow consumer
// (STACK.md, porsager/postgres#499).
// Values reach the query as literals quoted in (copy-query.ts), so the planner sees them. A one-slice COPY is one
// round trip: its transaction's settings, the COPY and the COMMIT go in one simple query.
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { CsvCopyOut, type CopyReaderOptions } from './copy-out';
import { copyStatement, type CopyQuery } from './copy-query';
import { Spool } from './spool';

/** The node-postgres pool COPY statements run on (createCopyPool). */
export type CopyPool = pg.Pool;

/** `statementTimeoutMs` (ANALYTICS_STATEMENT_TIMEOUT_MS): each COPY statement's limit, set at connection start; 0 = none. */
export function createCopyPool(url: string, max = 8, opts: { statementTimeoutMs?: number } = {}): CopyPool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'analytics-export-copy',
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
  });
  pool.on('error', () => {}); // idle client errors: the pool drops the client; the next checkout reconnects
  return pool;
}

export type CsvSource = Readable & {
  /** Rows read from PostgreSQL so far, over every slice. */
  readonly records: number;
};

export type CopyOptions = {
  /** Bytes before the first record (a header line, a BOM). */
  prefix?: Buffer;
  /** Where slices after the first wait their turn (see spool.ts). Default: the system's temporary directory. */
  spoolDir?: string;
};

/**
 * Runs `consume` on the CSV of `query`: records end in CRLF, `prefix` comes first, `source.records` counts rows.
 *
 * Given several queries (slices whose outputs concatenate in order, such as consecutive time ranges), they run
 * at the same time on their own connections, under one snapshot, so the file is the same as one query's: the
 * first slice streams to the consumer as PostgreSQL produces it; the later ones are read into spool files at
 * full speed meanwhile and follow in order. One backend is usually the limit of a CSV export (STACK.md); this
 * puts more cores to work on the same file.
 *
 * When anything fails or the stream is abandoned, every backend still copying is cancelled and its connection
 * discarded, so no query keeps running and no wedged client returns to the pool.
 */
export async function withCopyStream<T>(
  pool: CopyPool,
  query: CopyQuery | CopyQuery[],
  consume: (source: CsvSource) => Promise<T>,
  options: CopyOptions = {},
): Promise<T> {
  const slices = Array.isArray(query) ? query : [query];
  if (slices.length === 0) throw new Error('withCopyStream: no query');
  // A bad value fails here, before any connection is taken.
  const statements = slices.map(copyStatement);
  const copies: Copy[] = [];
  const spools: Spool[] = [];
  let source: Readable | null = null;
  try {
    for (let i = 0; i < slices.length; i++) copies.push(await checkOut(pool));
    // One slice: its transaction begins in the same query as its COPY. Several: each begins first, on the first's
    // snapshot, and none may commit before all have begun.
    const shared = copies.length > 1;
    if (shared) await beginSharedSnapshot(copies.map((c) => c.client));
    const begin = shared ? '' : `${BEGIN}; `;
    for (let i = 1; i < slices.length; i++) spools.push(await Spool.create(options.spoolDir ?? tmpdir()));
    for (const [i, statement] of statements.entries())
      copies[i]!.start(`${begin}${statement}; commit`, i === 0 ? options.prefix : undefined, slices[i]!);

    const spooling = Promise.all(spools.map((spool, i) => pipeline(copies[i + 1]!.stream!, spool.writable())));
    async function* ordered() {
      yield* copies[0]!.stream!;
      for (const spool of spools) yield* spool.read();
    }
    const output = Readable.from(ordered(), { objectMode: false });
    source = output;
    Object.defineProperty(output, 'records', { get: () => copies.reduce((n, c) => n + (c.stream?.records ?? 0), 0) });
    // A later slice failing while the first still streams fails the whole file at once.
    spooling.catch((err: Error) => output.destroy(err));

    const result = await consume(output as CsvSource);
    await spooling;
    for (const copy of copies) await copy.finish();
    return result;
  } catch (err) {
    source?.destroy();
    const reason = err instanceof Error ? err : new Error(String(err));
    await Promise.all(copies.map((c) => c.discard(pool, reason)));
    throw err;
  } finally {
    await Promise.all(spools.map((s) => s.close().catch(() => {})));
  }
}

/**
 * Every slice's transaction: read only, one snapshot, room to sort in memory, no JIT. A publisher's rows come from its
 * packages' index and are sorted by time: 679k of 5M rows took 1.87 s of backend CPU with the default 4 MB work_mem
 * (an external sort) and 1.52 s with 64 MB. JIT compiled the CSV expressions of a 5M-row COPY for no gain (backend CPU
 * 8.0–8.6 s with it, 6.3–6.9 s without, alternating runs on a loaded machine). DateStyle ISO whatever the server's
 * default, and time zone UTC: the CSV's dates and timestamps are the ISO text output of their values (datasets'
 * sql-fragments.ts), a timestamptz printed in UTC (`…+00`, which copy-out.ts rewrites as `…Z` when asked).
 */
const BEGIN =
  "begin isolation level repeatable read read only; set local work_mem = '64MB'; set local jit = off; set local datestyle = 'ISO, MDY'; set local timezone = 'UTC'";

/** Two or more slices: the later ones see exactly what the first sees, its exported snapshot. */
async function beginSharedSnapshot(clients: pg.PoolClient[]): Promise<void> {
  const [first, ...others] = clients;
  await first!.query(BEGIN);
  const { rows } = await first!.query<{ id: string }>('select pg_export_snapshot() as id');
  const id = rows[0]!.id;
  if (!/^[0-9A-F-]+$/i.test(id)) throw new Error(`unexpected snapshot id ${id}`);
  for (const client of others) {
    await client.query(BEGIN);
    await client.query(`set transaction snapshot '${id}'`);
  }
}

type Copy = {
  client: pg.PoolClient;
  stream: CsvCopyOut | null;
  /** Sends `text`: a COPY … TO STDOUT, with the statements of its transaction around it (one simple query). */
  start(text: string, prefix: Buffer | undefined, reader: CopyReaderOptions): void;
  /** After a complete read: waits for the rest of the query (its COMMIT) and returns the connection to the pool. */
  finish(): Promise<void>;
  /** After a failure: cancels a COPY still running and drops the connection. */
  discard(pool: pg.Pool, reason: Error): Promise<void>;
};

async function checkOut(pool: pg.Pool): Promise<Copy> {
  const client = await pool.connect();
  // A checked-out client emits 'error' when its backend dies (restart, pg_terminate_backend); without a
  // listener that would crash the process. The failure reaches us through the COPY stream instead.
  const onClientError = () => {};
  client.on('error', onClientError);
  let ended: Promise<void> = Promise.resolve();
  let copyEnded = true;
  const copy: Copy = {
    client,
    stream: null,
    start(text, prefix, reader) {
      copyEnded = false;
      const stream: CsvCopyOut = client.query(new CsvCopyOut(text, prefix, reader));
      copy.stream = stream;
      ended = new Promise<void>((resolve, reject) => {
        stream.once('end', () => resolve());
        stream.once('error', reject);
      });
      ended.then(
        () => (copyEnded = true),
        () => {},
      );
    },
    async finish() {
      await ended;
      await copy.stream!.completed;
      client.off('error', onClientError);
      client.release();
    },
    async discard(pool, reason) {
      copy.stream?.destroy();
      if (!copyEnded) await cancelBackend(pool, client).catch(() => {});
      client.off('error', onClientError);
      client.release(reason);
    },
  };
  return copy;
}

async function cancelBackend(pool: pg.Pool, client: pg.PoolClient): Promise<void> {
  const pid = (client as unknown as { processID?: number }).processID;
  if (!pid) return;
  const other = new pg.Client({
    connectionString: (pool as unknown as { options: pg.PoolConfig }).options.connectionString,
  });
  await other.connect();
  try {
    await other.query('select pg_cancel_backend($1)', [pid]);
  } finally {
    await other.end();
  }
}
