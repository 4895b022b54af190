#!/usr/bin/env bash
# Makes the toolchain available, idempotently, on a machine that has never seen the project.
#
#   scripts/bootstrap.sh wasm      Rust that can build wasm32 (rustup target, or Debian rustc-web;
#                                  ATLAS_WASM_ROUTE=debian|rustup forces one)
#   scripts/bootstrap.sh bindgen   wasm-bindgen-cli at exactly the Cargo.lock version, in .tools/
#   scripts/bootstrap.sh node      the Node dev dependencies, from package-lock.json (npm ci)
#   scripts/bootstrap.sh chromium  Debian chromium and chromium-driver, for browser tests
#   scripts/bootstrap.sh cjk-fonts a Chinese font, so the console's 中文 screenshots show text
#   scripts/bootstrap.sh fuzz      cargo-fuzz in .tools/, and the toolchain to run it with
#   scripts/bootstrap.sh ldap      Debian slapd, ldap-utils and openssl, for the emulator's real
#                                  LDAP verification tests (no daemon is configured or started)
#
# Answers to slow or hanging probes are remembered in .tools/ (this clone) and in
# ~/.cache/atlas-ldap/ (this machine), so each probe runs at most once.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/atlas-ldap
mkdir -p "$TOOLS" "$CACHE"

log() { printf 'bootstrap: %s\n' "$*" >&2; }

apt_updated=
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  if [ -z "$apt_updated" ]; then
    log "apt-get update"; $sudo env DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -qq; apt_updated=1
  fi
  log "apt-get install ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Writes .tools/wasm.env: WASM_CARGO (the cargo to run) and WASM_CARGO_FLAGS (extra flags),
# plus the environment that cargo needs.
wasm() {
  local route=
  [ -f "$TOOLS/wasm.env" ] && return 0
  if [ -n "${ATLAS_WASM_ROUTE:-}" ]; then
    route=$ATLAS_WASM_ROUTE # rustup or debian: forces a route, to test the other one
  elif command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    route=rustup
  elif [ -f "$CACHE/wasm-route" ]; then
    route=$(cat "$CACHE/wasm-route")
  elif command -v rustup >/dev/null && timeout 30 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    route=rustup
  else
    route=debian
  fi
  [ -n "${ATLAS_WASM_ROUTE:-}" ] || echo "$route" > "$CACHE/wasm-route"
  if [ "$route" = rustup ]; then
    log "wasm32 via rustup"
    { echo "WASM_CARGO=cargo"; echo "WASM_CARGO_FLAGS="; } > "$TOOLS/wasm.env"
  else
    log "wasm32 via Debian rustc-web and -Zbuild-std (rustup cannot add the target here)"
    apt_install rustc-web cargo-web rust-web-src lld-22
    {
      # Debian ships no rust-lld; its wasm-ld is the same linker.
      echo "WASM_CARGO='env RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/bin/wasm-ld-22 /usr/bin/cargo'"
      echo "WASM_CARGO_FLAGS='-Zbuild-std=std,panic_abort'"
    } > "$TOOLS/wasm.env"
  fi
}

bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
  [ -n "$want" ] || { log "no wasm-bindgen in Cargo.lock"; exit 1; }
  if [ -x "$TOOLS/bin/wasm-bindgen" ] && [ "$("$TOOLS/bin/wasm-bindgen" --version | awk '{print $2}')" = "$want" ]; then
    return 0
  fi
  cached_install wasm-bindgen-cli "$want" wasm-bindgen wasm-bindgen-test-runner
}

# cached_install CRATE VERSION BIN...: `cargo install CRATE@=VERSION` once per machine (into
# ~/.cache/atlas-ldap), then copies its binaries into .tools/bin, so a fresh clone waits seconds,
# not minutes. A machine that never built it builds it. (wasm-bindgen-cli fails with --locked.)
cached_install() {
  local crate=$1 version=$2 root="$CACHE/$1-$2"; shift 2
  if [ ! -x "$root/bin/$1" ]; then
    log "cargo install $crate =$version (a few minutes, once per machine)"
    # shellcheck disable=SC2086 # INSTALL_FLAGS is a list
    cargo install -q "$crate" --version "=$version" ${INSTALL_FLAGS:-} --root "$root.tmp" --force
    rm -rf "$root" && mv "$root.tmp" "$root"
  fi
  mkdir -p "$TOOLS/bin"
  for bin in "$@"; do cp "$root/bin/$bin" "$TOOLS/bin/"; done
}

node() {
  local stamp=node_modules/.atlas-ldap-lock
  if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then return 0; fi
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
}

chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return 0; fi
  apt_install chromium chromium-driver
}

# slapd's postinst asks for an admin password through debconf: preseeded to skip its own
# configuration (the tests write theirs), and non-interactive, so it never waits for input.
# In these containers no init system runs, so installing it starts no daemon.
ldap() {
  if command -v slapd >/dev/null || [ -x /usr/sbin/slapd ]; then
    dpkg -s ldap-utils openssl >/dev/null 2>&1 && return 0
  fi
  local sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  if ! dpkg -s slapd >/dev/null 2>&1; then
    printf 'slapd slapd/no_configuration boolean true\n' | $sudo debconf-set-selections
  fi
  apt_install slapd ldap-utils openssl
}

# Without a CJK font Chromium draws Chinese as empty boxes (WenQuanYi Micro Hei: 5 MB).
cjk-fonts() {
  apt_install fonts-wqy-microhei
}

# Writes .tools/fuzz.env: FUZZ_ENV (environment for `cargo fuzz`) and FUZZ_FLAGS (its flags).
# libFuzzer with AddressSanitizer needs a nightly rustc (-Zsanitizer). Without one, the targets
# still run under libFuzzer with coverage on stable, with `-s none` (no sanitizer: safe Rust
# needs none to catch panics) and RUSTC_BOOTSTRAP=1 for the -Z flags cargo-fuzz passes.
# FUZZ_ROUTE=nightly|stable forces a route.
fuzz() {
  [ -x "$TOOLS/bin/cargo-fuzz" ] || INSTALL_FLAGS=--locked cached_install cargo-fuzz 0.13.2 cargo-fuzz
  [ -f "$TOOLS/fuzz.env" ] && [ -z "${FUZZ_ROUTE:-}" ] && return 0
  local route=${FUZZ_ROUTE:-}
  if [ -n "$route" ]; then
    :
  elif command -v rustup >/dev/null && rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    route=nightly
  elif [ -f "$CACHE/fuzz-route" ]; then
    route=$(cat "$CACHE/fuzz-route")
  elif command -v rustup >/dev/null && timeout 120 rustup toolchain install nightly --profile minimal >/dev/null 2>&1; then
    route=nightly
  else
    route=stable
  fi
  [ -n "${FUZZ_ROUTE:-}" ] || echo "$route" > "$CACHE/fuzz-route"
  if [ "$route" = nightly ]; then
    log "fuzzing with nightly rustc, libFuzzer and AddressSanitizer"
    { echo "FUZZ_ENV='RUSTUP_TOOLCHAIN=nightly'"; echo "FUZZ_FLAGS="; } > "$TOOLS/fuzz.env"
  else
    log "fuzzing with stable rustc and libFuzzer, without a sanitizer (no nightly toolchain here)"
    { echo "FUZZ_ENV='RUSTC_BOOTSTRAP=1'"; echo "FUZZ_FLAGS='-s none'"; } > "$TOOLS/fuzz.env"
  fi
}

[ $# -gt 0 ] || set -- wasm bindgen node chromium
for step in "$@"; do "$step"; done
