/**
 * Copies the non-TypeScript files the code reads at run time (BigQuery `.sql` statements and the
 * like) from bot/ and core/ into dist/, beside the compiled modules that open them relative to
 * their own location. tsc only emits what it compiles, so without this `node dist/...` would miss
 * them.
 */
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, extname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const SOURCES = ["bot", "core"];
/** Compiled by tsc (or only there to be compiled): never copied. */
const COMPILED = new Set([".ts", ".tsx", ".mts", ".cts"]);

export function copyBuildAssets(root: string, outDir: string): string[] {
  const copied: string[] = [];
  for (const source of SOURCES) {
    const from = join(root, source);
    for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || COMPILED.has(extname(entry.name))) continue;
      const file = join(entry.parentPath, entry.name);
      const target = join(outDir, relative(root, file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
      copied.push(relative(root, file));
    }
  }
  return copied;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const copied = copyBuildAssets(ROOT, join(ROOT, "dist"));
  console.log(`copied ${copied.length} asset file(s) into dist/`);
}
