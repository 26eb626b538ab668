#!/usr/bin/env bash
# Installs what is missing, starts the services, then type-checks and runs the whole test suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/local/lib.sh"
ensure_all
cd "$ROOT"
log "type-checking"
pnpm --silent typecheck
log "running tests"
pnpm --silent test "$@"
