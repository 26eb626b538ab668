// How values reach a COPY query. COPY takes no bind parameters, and a value read with current_setting() is hidden
// from the planner (no plan-time partition pruning, row estimates of ~200 instead of millions, nested loops and
// on-disk sorts: 10.6 s instead of 4.5 s for one export, STACK.md). So each value is quoted into the text itself as a
// literal, by node-postgres' escapeLiteral: PostgreSQL's own quote_literal rules (quotes doubled; with a backslash,
// backslashes doubled and an E'' literal, so the text means the same whatever standard_conforming_strings says).
// The query text is ours; only the values come from a request, validated before they get here.
import { escapeLiteral } from 'pg';

export type CopyQuery = {
  /** A SELECT (no trailing semicolon) with `copyValue(name, type)` placeholders; never built from input. */
  text: string;
  /** The placeholders' values, by name. */
  values: Record<string, string>;
  /**
   * The SELECT's last column is a timestamptz, selected as it is: the COPY reader writes it as `YYYY-MM-DDTHH:MM:SSZ`
   * (copy-out.ts), cheaper there than in SQL. The COPY session runs with time zone UTC and DateStyle ISO.
   */
  utcTimestampLast?: boolean;
  /**
   * The SELECT's first N columns are text cells, selected as they are: the COPY reader gives them the formula guard
   * (CONTRACT §3) that app.csv_text gives other text cells in SQL. See `readerCells` (datasets' sql-fragments.ts),
   * which writes a select list and these two settings together.
   */
  leadingTextCells?: number;
};

const NAME = /^[a-z_][a-z0-9_]*$/;
const PLACEHOLDER = /\{\{([a-z_][a-z0-9_]*)\}\}/g;

/** A typed literal of the value `name` in a COPY query's text, e.g. `copyValue('from', 'timestamptz')`. */
export function copyValue(name: string, type: string): string {
  if (!NAME.test(name)) throw new Error(`copyValue: bad name ${name}`);
  return `({{${name}}}::${type})`;
}

/** The names of the values a query's text reads, in order of first use. */
export function copyValueNames(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * The query's text with each placeholder replaced by its value as a literal. Throws when the text reads a value the
 * query does not carry, or a value holds a NUL (no PostgreSQL text can: SQLSTATE 22021, as the server would answer).
 */
export function renderCopyQuery(query: CopyQuery): string {
  const names = copyValueNames(query.text);
  for (const name of names) {
    const value = query.values[name];
    if (typeof value !== 'string') throw new Error(`COPY query reads {{${name}}} but carries no value for it`);
    if (value.includes('\u0000'))
      throw Object.assign(new Error(`COPY value ${name} holds a NUL character, which PostgreSQL text cannot`), {
        code: '22021',
      });
  }
  return query.text.replace(PLACEHOLDER, (_, name: string) => escapeLiteral(query.values[name]!));
}

/** The COPY statement of a query, values quoted in. */
export const copyStatement = (query: CopyQuery): string =>
  `copy (${renderCopyQuery(query)}) to stdout with (format csv)`;
