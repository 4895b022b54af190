#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm, wasm-bindgen for Node and for the web,
# wasm-opt, the entry points, the type declarations (checked with tsc) and the README.
set -euo pipefail
cd "$(dirname "$0")/.."
. .tools/wasm.env
BUILD=target/pkg-build
WASM=target/wasm32-unknown-unknown/release/atlas_ldap.wasm

$WASM_CARGO build --quiet --lib --release --target wasm32-unknown-unknown $WASM_CARGO_FLAGS

rm -rf "$BUILD" pkg
mkdir -p "$BUILD" pkg/node pkg/web
# The models' TypeScript declarations, written by ts-rs from the Rust types.
TS_RS_EXPORT_DIR="$BUILD/ts" cargo test --quiet --lib --features ts export_bindings >/dev/null
.tools/bin/wasm-bindgen --target nodejs --out-dir "$BUILD/node" "$WASM"
.tools/bin/wasm-bindgen --target web --out-dir "$BUILD/web" "$WASM"
# The validators-only module behind `atlas-ldap/validators` in browsers: the same crate
# without the client, for pages that only check forms.
$WASM_CARGO build --quiet --lib --release --target wasm32-unknown-unknown --no-default-features $WASM_CARGO_FLAGS
.tools/bin/wasm-bindgen --target web --out-dir "$BUILD/validators" "$WASM"
mkdir -p pkg/validators
for t in node web validators; do
  # rustc's default wasm features; wasm-opt must know them to keep the output valid. -Os, not
  # -Oz: the budgets are in gzip bytes, and -Os output compresses about 0.3 % smaller (and
  # runs faster) although it is 2 % larger raw.
  node_modules/.bin/wasm-opt -Os --strip-debug --strip-producers \
    --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$BUILD/$t/atlas_ldap_bg.wasm" -o "pkg/$t/atlas_ldap_bg.wasm"
  cp "$BUILD/$t/atlas_ldap.js" "pkg/$t/"
done
echo '{ "type": "commonjs" }' > pkg/node/package.json
node scripts/gen-wrappers.mjs "$BUILD" pkg
cp pkg-template/README.md pkg/

# A broken declaration must never ship.
node_modules/.bin/tsc --noEmit --strict --skipLibCheck false --lib esnext,dom pkg/index.d.ts pkg/validators/index.d.ts

# Last, so a failed build never looks finished to make.
cp pkg-template/package.json pkg/

for t in node web validators; do
  f=pkg/$t/atlas_ldap_bg.wasm
  printf 'pkg: %-28s %7d bytes, %6d gzip\n' "$f" "$(wc -c < "$f")" "$(gzip -9c "$f" | wc -c)"
done
