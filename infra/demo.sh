#!/usr/bin/env bash
# Brings up everything locally and runs the system with demo data: PostgreSQL, Redis, the S3 and SES
# emulators, the API, the export worker (exports and report e-mails) and the retention worker.
# Ctrl-C stops the processes it started (the databases and emulators keep running).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/local/lib.sh"
ensure_all
cd "$ROOT"

if [ "$(psql "$DATABASE_URL" -Atc 'select count(*) from analytics.install_events' 2>/dev/null || echo 0)" = "0" ] \
   || [ "${DEMO_RESEED:-0}" = "1" ]; then
  log "seeding demo data (pnpm --silent cli seed)"
  pnpm --silent cli seed --installs "${DEMO_INSTALLS:-200000}" >/dev/null
fi

ADMIN_TOKEN="$(pnpm --silent cli api-keys create --role admin --name demo-admin)"
PUBLISHER_TOKEN="$(pnpm --silent cli api-keys create --role publisher --publisher-id pub-001 --name demo-publisher)"

mkdir -p "$DATA_DIR/logs"
pids=()
run() { # name command...
  local name="$1"
  shift
  "$@" >>"$DATA_DIR/logs/$name.log" 2>&1 &
  pids+=($!)
}
stop() {
  log "stopping"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# The compiled bundles, as in production: each service's `pnpm start:<name>` command from package.json (its Node
# flags and malloc settings written once, there), run through env rather than pnpm, so that SIGTERM reaches the
# service itself. DEMO_FROM_SOURCE=1 runs `pnpm <name>` instead: the TypeScript sources through tsx (no build).
if [ "${DEMO_FROM_SOURCE:-0}" = "1" ]; then
  SCRIPT_PREFIX=
else
  log "building dist/ (pnpm build)"
  pnpm --silent build
  SCRIPT_PREFIX=start:
fi
package_script() { node -p "require('./package.json').scripts['$SCRIPT_PREFIX$1']"; }
for service in api export-worker retention-worker; do
  read -ra command <<<"$(package_script "$service")"
  run "$service" env "${command[@]}"
done
wait_port "${PORT:-3000}" API 60

FROM="$(date -u -d '30 days ago' +%F)"
TO="$(date -u +%F)"
API="http://127.0.0.1:${PORT:-3000}"

# A weekly report for the demo publisher, and last week's run right away, so an e-mail shows in the SES emulator.
LAST_MONDAY="$(date -u -d "$(date -u +%F) -$(( ($(date -u +%u) + 6) % 7 + 7 )) days" +%F)"
SCHEDULE_ID="$(curl -sf -X POST "$API/v1/schedules" -H "Authorization: Bearer $PUBLISHER_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Weekly installs","dataset":"install_events","format":"csv","frequency":"weekly","recipients":["owner@pub-001.example","analyst@pub-001.example"]}' \
  | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).id')"
curl -sf -X POST "$API/v1/schedules/$SCHEDULE_ID/runs" -H "Authorization: Bearer $PUBLISHER_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"period_start\":\"$LAST_MONDAY\"}" >/dev/null || log "could not start the demo report run"
cat <<MSG

Everything is running. Logs: $DATA_DIR/logs/{api,export-worker,retention-worker}.log

  API            http://127.0.0.1:${PORT:-3000}   (health: /healthz, /readyz; metrics: http://127.0.0.1:9466/metrics)
  S3 emulator    http://127.0.0.1:4568   bucket analytics-exports, files in $DATA_DIR/s3
  SES emulator   http://127.0.0.1:8005   sent mail: curl http://127.0.0.1:8005/store

Web page: http://127.0.0.1:${PORT:-3000}/  (Analytics → Export → Scheduled Reports; sign in with a key below)

Demo keys (mint more with: pnpm --silent cli api-keys create --role admin):
  ADMIN_TOKEN=$ADMIN_TOKEN
  PUBLISHER_TOKEN=$PUBLISHER_TOKEN     (publisher pub-001)

Request a CSV export and download it:
  curl -s -X POST http://127.0.0.1:${PORT:-3000}/v1/exports -H "Authorization: Bearer \$PUBLISHER_TOKEN" \\
       -H 'Content-Type: application/json' \\
       -d '{"dataset":"install_events","format":"csv","from":"$FROM","to":"$TO"}'
  curl -s http://127.0.0.1:${PORT:-3000}/v1/exports/<id> -H "Authorization: Bearer \$PUBLISHER_TOKEN"
  curl -sL http://127.0.0.1:${PORT:-3000}/v1/exports/<id>/download -H "Authorization: Bearer \$PUBLISHER_TOKEN" -o export.csv

The same with "format":"json","granularity":"week" gives the zero-filled weekly series.

A weekly report (schedule $SCHEDULE_ID) has just sent last week's file to two recipients:
  curl -s $API/v1/schedules/$SCHEDULE_ID/runs -H "Authorization: Bearer \$PUBLISHER_TOKEN"
  curl -s http://127.0.0.1:8005/store            # the e-mails, with their download links

Retention: the retention worker's daily job scheduler (03:00 UTC) is declared; see
  curl -s $API/v1/retention -H "Authorization: Bearer \$PUBLISHER_TOKEN"
  pnpm --silent cli retention run --dry-run
Press Ctrl-C to stop.
MSG
wait
