#!/usr/bin/env bash
# Installs what is missing, starts the services, then type-checks and runs the whole test suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/local/lib.sh"
ensure_all
ensure_chromium
cd "$ROOT"
log "type-checking"
pnpm --silent typecheck
log "linting (typescript-eslint, type-checked)"
pnpm --silent lint
log "checking the formatting (prettier; \`pnpm format\` fixes it)"
pnpm --silent format:check
log "checking the import rules (dependency-cruiser: packages never import services, only jobs imports bullmq, …)"
pnpm --silent lint:deps
log "linting the OpenAPI document (redocly, offline)"
pnpm --silent lint:openapi
log "running tests"
# Two passes: files on the shared services run in parallel; the ones that spawn, kill and restart processes
# (chaos, shutdown, scale-out) run one at a time afterwards, so load from other files cannot skew their deadlines.
pnpm --silent test:services "$@"
# The browser suite alone: Chromium would otherwise slow the files running beside it.
pnpm --silent test:browser "$@"
pnpm --silent test:processes "$@"
