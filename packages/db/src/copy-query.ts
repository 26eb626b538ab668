// How values reach a COPY query. COPY takes no bind parameters, and a value read with current_setting() is hidden
// from the planner (no plan-time partition pruning, row estimates of ~200 instead of millions, nested loops and
// on-disk sorts: 10.6 s instead of 4.5 s for one export, STACK.md). So the server quotes each value into the text
// itself: `select format(text, variadic values)` with the values as bind parameters, each placeholder a `%L`.
// The query text is ours; only values travel as parameters, and PostgreSQL's own quoting makes them literals.
import type pg from 'pg';

export type CopyQuery = {
  /** A SELECT (no trailing semicolon) with `copyValue(name, type)` placeholders; never built from input. */
  text: string;
  /** The placeholders' values, by name. */
  values: Record<string, string>;
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
 * The query as a `format()` template and its arguments: `%` doubled, each placeholder `%n$L`.
 * Throws when the text reads a value the query does not carry.
 */
export function formatTemplate(query: CopyQuery): { template: string; args: string[] } {
  const names = copyValueNames(query.text);
  for (const name of names) {
    if (typeof query.values[name] !== 'string')
      throw new Error(`COPY query reads {{${name}}} but carries no value for it`);
  }
  const template = query.text
    .replace(/%/g, '%%')
    .replace(PLACEHOLDER, (_, name: string) => `%${names.indexOf(name) + 1}$L`);
  return { template, args: names.map((name) => query.values[name]!) };
}

/** The COPY statement with every value quoted in by the server, ready to run as plain text. */
export async function renderCopy(client: pg.ClientBase, query: CopyQuery): Promise<string> {
  const { template, args } = formatTemplate(query);
  const { rows } = await client.query<{ text: string }>('select format($1, variadic $2::text[]) as text', [
    `copy (${template}) to stdout with (format csv)`,
    args,
  ]);
  return rows[0]!.text;
}
