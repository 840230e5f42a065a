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
mkdir -p .test-tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.test-tmp/vitest.json || status=$?
# One plain closing line that any CI reader understands, whatever the runner prints.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".test-tmp/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
exit "$status"
