// postgres.js client factory for control tables and ordinary queries (COPY goes through copy-stream.ts).
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

export type SqlOptions = {
  max?: number;
  applicationName?: string;
  /** statement_timeout of every query on these connections (a startup parameter); 0 or unset = the server's. */
  statementTimeoutMs?: number;
};

export function createSql(url: string, options: SqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: {
      application_name: options.applicationName ?? 'analytics-export',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
    // int8 (counts, sums) as JS numbers: every count here stays far below 2^53.
    types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
  });
}

/** Repositories take `Sql`; a transaction has the same query surface. */
export const inTx = (tx: TransactionSql): Sql => tx as unknown as Sql;
