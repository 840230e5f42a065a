#!/usr/bin/env bash
# The whole test suite: the README's test command (`npm ci && npm test`) ends up here, and so does CI.
# It installs what the tests need (Chromium for the browser tests), builds, lints, type-checks
# (tests included) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
echo "== build"
npx tsc -b
echo "== lint and format"
npx biome ci --error-on-warnings --colors=off .
echo "== type-check (sources, tests, benchmarks)"
npx tsc -p tsconfig.check.json
echo "== tests"
npx vitest run
