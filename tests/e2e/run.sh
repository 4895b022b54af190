#!/usr/bin/env bash
# Starts the console server the way `make console` does (atlas-emulator serving www/ and
# pkg/ with the demo project), on PORT (0, the default, picks a free one), runs the
# browser end-to-end tests against it with node's test runner, then stops the server.
set -euo pipefail
# A hung test fails after --test-timeout instead of holding CI until its own limit.
cd "$(dirname "$0")/../.."
PORT=${PORT:-0}
ART=tests/artifacts
mkdir -p "$ART"
OUT=$ART/emulator.stdout
ERR=$ART/emulator.stderr

target/release/atlas-emulator --port "$PORT" --www www --pkg pkg >"$OUT" 2>"$ERR" &
PID=$!
stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
trap stop EXIT

URL=
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^listening on //p' "$OUT" | head -n 1)
  [ -n "$URL" ] && break
  if ! kill -0 "$PID" 2>/dev/null; then echo "e2e: the emulator exited:" >&2; cat "$ERR" >&2; exit 1; fi
  sleep 0.05
done
[ -n "$URL" ] || { echo "e2e: the emulator did not start within 10 s" >&2; exit 1; }
echo "e2e: console at $URL/ (server log: $ERR)"

CONSOLE_URL=$URL node --test --test-concurrency=1 --test-timeout=180000 --test-force-exit tests/e2e/
