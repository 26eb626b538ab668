-- The API's limit on active exports (429 too_many_exports, services/api/src/routes/exports.ts) counts an owner's
-- queued and running on-demand exports on every POST /v1/exports, under the owner's advisory lock. Through
-- exports_list_idx that count read every export the owner ever made (rows stay when their files expire): with 20,000
-- of them, 15 ms a request, while the owner's other requests wait for the lock. These indexes hold only the active
-- rows: 0.4 ms for the same count.
create index exports_active_publisher_idx on app.exports (owner_publisher_id)
  where status in ('queued', 'running') and schedule_id is null;
create index exports_active_key_idx on app.exports (api_key_id)
  where status in ('queued', 'running') and schedule_id is null;
