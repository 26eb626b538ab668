// COPY ... TO STDOUT as a Node stream. This is the one place that uses node-postgres + pg-copy-streams:
// postgres.js 3.4.9 COPY streams wedge their connection after a slow consumer (STACK.md, porsager/postgres#499).
// Values reach the query only as transaction-local settings (COPY takes no bind parameters):
// the query reads them with `(select current_setting('ax.<name>'))`.
import { Readable } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export type CopyQuery = {
  /** A SELECT (no trailing semicolon). Never built from untrusted input: values go in `settings`. */
  text: string;
  settings: Record<string, string>;
};

export function createCopyPool(url: string, max = 8): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'analytics-export-copy' });
  pool.on('error', () => {}); // idle client errors: the pool drops the client; the next checkout reconnects
  return pool;
}

export const settingName = (name: string) => `ax.${name}`;
export const settingRef = (name: string, type: string) => `((select current_setting('ax.${name}'))::${type})`;

/**
 * Runs `consume` on the CSV stream of `query`. When `consume` fails or the stream is abandoned, the backend
 * is cancelled and the connection discarded, so no query keeps running and no wedged client returns to the pool.
 */
export async function withCopyStream<T>(
  pool: pg.Pool,
  query: CopyQuery,
  consume: (source: Readable) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out client emits 'error' when its backend dies (restart, pg_terminate_backend); without a
  // listener that would crash the process. The failure reaches us through the COPY stream instead.
  const onClientError = () => {};
  client.on('error', onClientError);
  let copyEnded = false;
  try {
    await client.query('begin read only');
    for (const [name, value] of Object.entries(query.settings)) {
      await client.query('select set_config($1, $2, true)', [settingName(name), value]);
    }
    const source = client.query(copyTo(`copy (${query.text}) to stdout with (format csv)`));
    const ended = new Promise<void>((resolve, reject) => {
      source.once('end', () => resolve());
      source.once('error', reject);
    });
    ended.then(() => (copyEnded = true), () => {});
    const result = await consume(source);
    await ended;
    await client.query('commit');
    client.off('error', onClientError);
    client.release();
    return result;
  } catch (err) {
    if (!copyEnded) await cancelBackend(pool, client).catch(() => {});
    client.off('error', onClientError);
    client.release(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}

async function cancelBackend(pool: pg.Pool, client: pg.PoolClient): Promise<void> {
  const pid = (client as unknown as { processID?: number }).processID;
  if (!pid) return;
  const other = new pg.Client({ connectionString: (pool as unknown as { options: pg.PoolConfig }).options.connectionString });
  await other.connect();
  try {
    await other.query('select pg_cancel_backend($1)', [pid]);
  } finally {
    await other.end();
  }
}
