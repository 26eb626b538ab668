-- The export workers' watchdog looks every 30 s, on every replica, for exports running without a heartbeat or queued
-- for too long (findStalledExports). Only running exports had an index (exports_running_idx), so the query read the
-- whole table, finished exports included: 54 ms (a parallel sequential scan) at 200,000 exports. With queued exports
-- indexed too, the two indexes answer it together: 0.4 ms.
create index exports_queued_idx on app.exports (created_at) where status = 'queued';
