import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The snapshot's format version, derived from the code that writes and reads it: a SHA-256 over
 * serving-snapshot's source and every project file it imports, directly or not, plus the name and
 * version of each package they import (MiniSearch's plain form is part of the file). A change to
 * any of them, or a package upgrade, is a new format, so a snapshot written by other code is
 * refused as "version" and rebuilt. Nobody has to remember to bump a number.
 *
 * Over-inclusive on purpose (a change to the trainer also makes a new format): a needless rebuild
 * costs one start its speed; a stale format served would cost wrong answers. Computed once per
 * process from the files on disk (about a hundred small reads); the built image hashes its own
 * .js files, so the snapshot it bakes matches the code it runs.
 */
export function snapshotFormat(): SnapshotFormat {
  format ??= computeFormat();
  return format;
}

export interface SnapshotFormat {
  /** Hex digest (64 characters): kept in the snapshot's header. */
  digest: string;
  /** Its first 32 bits, in the file's fixed prefix: refused before the header is even read. */
  word: number;
}

let format: SnapshotFormat | undefined;

const HERE = fileURLToPath(import.meta.url);
/** The same kind of file as this one: .ts from the sources, .js once built. */
const EXT = extname(HERE);
const ROOT = join(dirname(HERE), `serving-snapshot${EXT}`);
// `from "x"` of import and export statements, over line breaks; `import type` included (harmless).
const SPECIFIER = /\bfrom\s*["']([^"']+)["']/g;

function computeFormat(): SnapshotFormat {
  const hash = createHash("sha256");
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [ROOT];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const [, specifier] of source.matchAll(SPECIFIER)) {
      const spec = specifier as string;
      if (spec.startsWith(".")) pending.push(resolveLocal(file, spec));
      else if (!spec.startsWith("node:")) packages.add(packageName(spec));
    }
  }
  // Sorted, so the digest depends on the contents, not on the order files were found in.
  for (const file of [...files].sort()) {
    hash.update(`${relativeName(file)}\0`);
    hash.update(readFileSync(file));
  }
  for (const name of [...packages].sort()) hash.update(`${name}@${packageVersion(name)}\0`);
  const digest = hash.digest("hex");
  return { digest, word: Number.parseInt(digest.slice(0, 8), 16) };
}

/** A relative import: "./x.ts" in the sources, "./x.js" once built (or written without extension). */
function resolveLocal(from: string, specifier: string): string {
  const path = resolve(dirname(from), specifier);
  const candidates = [path, path.replace(/\.(ts|js)$/, EXT), `${path}${EXT}`];
  const found = candidates.find((p) => extname(p) === EXT && existsSync(p));
  if (!found) throw new Error(`snapshot format: cannot find ${specifier} imported by ${from}`);
  return found;
}

/** The project's root (the folder holding core/): names are hashed from there. */
const PROJECT = resolve(dirname(HERE), "..", "..", "..");

/** The file's name from the project root (core/…): the same wherever the project is checked out. */
function relativeName(file: string): string {
  return relative(PROJECT, file);
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

/** The installed version, from the nearest node_modules up from this file; "?" when not found. */
function packageVersion(name: string): string {
  for (let dir = dirname(HERE); ; dir = dirname(dir)) {
    const manifest = join(dir, "node_modules", name, "package.json");
    if (existsSync(manifest)) {
      return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version ?? "?";
    }
    if (dirname(dir) === dir) return "?";
  }
}
