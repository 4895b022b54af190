#!/usr/bin/env bash
# Tests the package the way users get it: `npm pack` in pkg/, install the tarball into a
# throwaway project, then use it there through ESM `import`, CJS `require`, TypeScript, and a
# page in headless Chromium that loads it through its `browser` export; then the same tarball
# in a Vite app and a webpack app (tests/npm/bundlers/), built and driven in Chromium.
set -euo pipefail
# A hung test fails after --test-timeout instead of holding CI until its own limit.
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
WORK=$PWD/work
rm -rf "$WORK" && mkdir -p "$WORK/app"
tarball=$(cd "$ROOT/pkg" && npm pack --silent --pack-destination "$WORK" 2>/dev/null | tail -n 1)
echo "npm: packed $tarball ($(wc -c < "$WORK/$tarball") bytes)"
cd "$WORK/app"
echo '{ "name": "consumer", "private": true }' > package.json
npm install --silent --no-audit --no-fund "$WORK/$tarball" 2>/dev/null
cp "$ROOT"/tests/npm/consumer/* "$ROOT"/examples/verify-ldap.mjs .
# The consumer type-checks against the installed declarations (both module flavours).
"$ROOT/node_modules/.bin/tsc" -p tsconfig.json
ROOT="$ROOT" EMULATOR="$ROOT/target/debug/atlas-emulator" node --test --test-reporter=spec --test-timeout=300000 --test-force-exit
# The bundler apps install their own dev dependencies from their own lock files (npm ci).
ROOT="$ROOT" EMULATOR="$ROOT/target/debug/atlas-emulator" TARBALL="$WORK/$tarball" WORK="$WORK/bundlers" \
  node --test --test-reporter=spec --test-timeout=600000 --test-force-exit "$ROOT/tests/npm/bundlers/bundlers.test.mjs"
