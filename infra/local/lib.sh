#!/usr/bin/env bash
# Local bring-up without Docker: pnpm, dependencies, PostgreSQL, Redis, the S3 and SES emulators.
# Each step uses what already runs on the default port and installs/starts only what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="${AX_DATA_DIR:-$ROOT/.data}"
PNPM_VERSION=12.4.2
# Node.js 20 reached end of life on 2026-04-30. When the machine's node is older than NODE_MAJOR, the official
# binary comes from the npm registry (package node-linux-<arch>) into $RUNTIME_DIR, first on PATH from then on.
NODE_MAJOR=24
NODE_VERSION=24.22.3
RUNTIME_DIR="${AX_RUNTIME_DIR:-$ROOT/.runtime}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/analytics_export}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port name [seconds]
  local i
  for ((i = 0; i < ${3:-30} * 10; i++)); do port_open "$1" && return 0; sleep 0.1; done
  echo "$2 did not start listening on port $1" >&2
  return 1
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_node() {
  local major arch bin
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt "$NODE_MAJOR" ]; then
    case "$(uname -m)" in x86_64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
    bin="$RUNTIME_DIR/node_modules/node-linux-$arch/bin"
    if [ "$("$bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
      log "installing Node.js $NODE_VERSION into $RUNTIME_DIR (the machine has $(node --version 2>/dev/null || echo none))"
      mkdir -p "$RUNTIME_DIR"
      npm install --prefix "$RUNTIME_DIR" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
        "node-linux-$arch@$NODE_VERSION" >/dev/null
      if [ "$("$bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
        echo "Node.js $NODE_VERSION did not install into $RUNTIME_DIR (npm package node-linux-$arch)" >&2
        return 1
      fi
    fi
    export PATH="$bin:$PATH"
    hash -r
  fi
  log "Node.js $(node --version) at $(command -v node)"
}

ensure_pnpm() {
  if command -v pnpm >/dev/null && [ "$(pnpm --version)" = "$PNPM_VERSION" ]; then return; fi
  log "installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" --silent >/dev/null 2>&1
}

ensure_deps() {
  log "installing dependencies"
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=silent)
}

ensure_postgres() {
  if port_open 5432; then return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "installing PostgreSQL from Debian packages"
    apt_install postgresql
  fi
  log "starting PostgreSQL"
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_port 5432 PostgreSQL 60
  # A fresh Debian cluster has no password for postgres; set the one DATABASE_URL's default uses.
  su postgres -c "psql -q -c \"alter user postgres password 'postgres'\"" >/dev/null 2>&1 || true
}

ensure_redis() {
  if port_open 6379; then return; fi
  if ! command -v redis-server >/dev/null; then
    log "installing Redis from Debian packages"
    apt_install redis-server
  fi
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  # BullMQ needs noeviction: evicted keys are lost jobs and locks.
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --maxmemory-policy noeviction --dir /var/lib/redis --logfile /var/log/redis/ax.log
  wait_port 6379 Redis 30
}

start_background() { # name port command...
  local name="$1" port="$2"
  shift 2
  if port_open "$port"; then return; fi
  log "starting $name on 127.0.0.1:$port"
  mkdir -p "$DATA_DIR/logs"
  # Detached from this shell's stdout, so a caller piping our output is not held open by the emulator.
  (cd "$ROOT" && exec setsid nohup "$@" >"$DATA_DIR/logs/$name.log" 2>&1 </dev/null) >/dev/null 2>&1 </dev/null &
  wait_port "$port" "$name" 30
}

ensure_emulators() {
  mkdir -p "$DATA_DIR/s3"
  start_background s3-emulator 4568 "$ROOT/node_modules/.bin/s3rver" -d "$DATA_DIR/s3" -a 127.0.0.1 -p 4568 -s \
    --configure-bucket analytics-exports --configure-bucket analytics-exports-test
  start_background ses-emulator 8005 "$ROOT/node_modules/.bin/aws-ses-v2-local" --host 127.0.0.1 --port 8005
}

ensure_database() {
  log "migrating $DATABASE_URL"
  (cd "$ROOT" && pnpm --silent cli migrate)
}

ensure_web() {
  log "building the web page (services/web → services/web/dist)"
  (cd "$ROOT" && pnpm --silent build:web >/dev/null)
}

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work here).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  log "installing Chromium from Debian packages"
  apt_install chromium
}

ensure_all() {
  ensure_node
  ensure_pnpm
  ensure_deps
  ensure_postgres
  ensure_redis
  ensure_emulators
  ensure_database
  ensure_web
}
