// Makes a bundler fixture into a built app, the way a user does: a fresh copy, `npm ci` from
// the fixture's own lock file, `npm install` of the packed atlas-ldap tarball, `npm run build`.
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const run = promisify(execFile);
const HERE = import.meta.dirname;
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

/** Runs `npm ARGS` in `dir`; on failure the error carries npm's own output. */
async function npm(dir, ...args) {
  try {
    return await run("npm", args, { cwd: dir, maxBuffer: 16 << 20 });
  } catch (e) {
    throw new Error(`npm ${args.join(" ")} failed in ${dir}:\n${e.stdout}\n${e.stderr}`);
  }
}

async function timed(f) {
  const start = performance.now();
  await f();
  return Math.round(performance.now() - start);
}

/**
 * Copies fixture `name` (tests/npm/bundlers/NAME, with the shared pages of app/ as src/) into
 * `work`, installs it and `tarball`, and (unless `build` is false) builds it. Returns the
 * app's folder, its dist/ and how long each step took in ms.
 */
export async function prepareApp(name, tarball, work, { build = true } = {}) {
  const dir = join(work, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await cp(join(HERE, name), dir, { recursive: true, filter: (src) => !/node_modules|dist/.test(src) });
  await cp(join(HERE, "app"), join(dir, "src"), { recursive: true });
  const ms = {};
  ms.install = await timed(async () => {
    await npm(dir, "ci", ...NPM_FLAGS);
    await npm(dir, "install", "--no-save", ...NPM_FLAGS, tarball);
  });
  if (build) ms.build = await timed(() => npm(dir, "run", "build"));
  return { dir, dist: join(dir, "dist"), ms };
}

/**
 * Every .js and .wasm file under `dist`, with its raw, gzip (zlib level 9, as `make bench`)
 * and brotli (quality 11) size in bytes.
 */
export async function bundleSizes(dist) {
  const files = [];
  for (const entry of await readdir(dist, { recursive: true })) {
    if (!/\.(js|wasm)$/.test(entry) || !(await stat(join(dist, entry))).isFile()) continue;
    const bytes = await readFile(join(dist, entry));
    const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    files.push({ file: entry, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli });
  }
  return files.sort((a, b) => a.file.localeCompare(b.file));
}
