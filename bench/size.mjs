// 1. Size: raw, gzip (level 9) and brotli (quality 11) bytes of the .wasm and of the JS glue,
// for the web, validators-only (browser) and Node builds in pkg/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { PKG } from "./lib.mjs";

const FILES = {
  web: ["atlas_ldap_bg.wasm", "atlas_ldap.js", "index.js"],
  // atlas-ldap/validators in browsers: the crate built without the client.
  validators: ["atlas_ldap_bg.wasm", "atlas_ldap.js", "index.js"],
  node: ["atlas_ldap_bg.wasm", "atlas_ldap.js", "index.cjs", "index.mjs"],
};

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

export function runSize() {
  const rows = [];
  for (const [build, files] of Object.entries(FILES)) {
    const glue = [];
    for (const f of files) {
      const bytes = readFileSync(join(PKG, build, f));
      rows.push({ build, file: f, ...sizes(bytes) });
      if (!f.endsWith(".wasm")) glue.push(bytes);
    }
    rows.push({ build, file: "JS glue, all", ...sizes(Buffer.concat(glue)) });
  }
  const wasm = (build) => rows.find((r) => r.build === build && r.file.endsWith(".wasm"));
  const [web, validators] = [wasm("web"), wasm("validators")];
  return {
    rows,
    // The budgets of DESIGN.md ("Dependencies"): 100 KiB gzip for the web module, 40 KiB for the validators-only one.
    target: { webWasmGzipMax: 100 * 1024, validatorsWasmGzipMax: 40 * 1024, webWasmGzip: web.gzip, validatorsWasmGzip: validators.gzip, met: web.gzip <= 100 * 1024 && validators.gzip <= 40 * 1024 },
  };
}
