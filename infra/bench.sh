#!/usr/bin/env bash
# `pnpm bench [options]`: the same set-up as the tests (Node.js 24 first on PATH, services, migrations), then the
# benchmarks in test/bench/main.ts with the options given.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/local/lib.sh"
ensure_all
cd "$ROOT"
exec node --conditions=source --require tsx/cjs test/bench/main.ts "$@"
