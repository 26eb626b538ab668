// Read-only lookups on the marketplace's publisher and package tables, for access checks.
import type { Sql } from './client';

export async function publisherExists(sql: Sql, publisherId: string): Promise<boolean> {
  const [row] = await sql`select 1 from analytics.publishers where publisher_id = ${publisherId}`;
  return Boolean(row);
}

/** Returns the package ids among `packageIds` that do not exist or do not belong to `publisherId` (when given). */
export async function foreignPackages(sql: Sql, packageIds: string[], publisherId: string | null): Promise<string[]> {
  if (packageIds.length === 0) return [];
  const rows = await sql<{ package_id: string }[]>`
    select package_id from analytics.packages
    where package_id = any(${packageIds}::text[])
      and (${publisherId}::text is null or publisher_id = ${publisherId}::text)`;
  const found = new Set(rows.map((r) => r.package_id));
  return packageIds.filter((id) => !found.has(id));
}
