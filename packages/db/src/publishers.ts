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

export type PackageRow = { package_id: string; name: string; publisher_id: string };
export type PublisherRow = { publisher_id: string; name: string };

/** Packages of one publisher, or all of them when `publisherId` is null. */
export async function listPackages(sql: Sql, publisherId: string | null): Promise<PackageRow[]> {
  return sql<PackageRow[]>`
    select package_id, coalesce(name, '') as name, publisher_id from analytics.packages
    where ${publisherId}::text is null or publisher_id = ${publisherId}::text
    order by publisher_id, package_id`;
}

export async function listPublishers(sql: Sql): Promise<PublisherRow[]> {
  return sql<
    PublisherRow[]
  >`select publisher_id, coalesce(name, '') as name from analytics.publishers order by publisher_id`;
}
