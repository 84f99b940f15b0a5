import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { snapshotFormat } from "../../../../core/adapters/files/snapshot-format.ts";

const CORE = resolve(import.meta.dirname, "../../../../core");

/** A copy of core/ in a fresh folder, with `change` applied, and the format its code computes. */
function formatOfCopy(change: (core: string) => void = () => {}): string {
  const root = mkdtempSync(join(tmpdir(), "moviebot-format-"));
  cpSync(CORE, join(root, "core"), { recursive: true });
  change(join(root, "core"));
  // A child process: each copy's module computes its own format once, from its own files.
  return execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(join(root, "core/adapters/files/snapshot-format.ts"))}); console.log(m.snapshotFormat().digest)`,
    ],
    { encoding: "utf8" },
  ).trim();
}

describe("snapshotFormat", () => {
  it("is a digest of the code, with its first 32 bits for the file's prefix", () => {
    const { digest, word } = snapshotFormat();
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(word).toBe(Number.parseInt(digest.slice(0, 8), 16));
  });

  it("changes when any file the snapshot's code imports changes, and only then", () => {
    const same = formatOfCopy();
    expect(formatOfCopy()).toBe(same);
    // Imported through serving-snapshot → local-recommender → rating-index.
    expect(
      formatOfCopy((core) => appendFileSync(join(core, "recommend/rating-index.ts"), "\n")),
    ).not.toBe(same);
    // The search index's form is in the snapshot too.
    expect(
      formatOfCopy((core) => appendFileSync(join(core, "search/search-text.ts"), "\n")),
    ).not.toBe(same);
    // Cards are built from served data, never stored: no new format.
    expect(formatOfCopy((core) => appendFileSync(join(core, "cards/card.ts"), "\n"))).toBe(same);
  });
});
