import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// docs/architecture.md is the newcomer's path through /recommend: it must stay short (the issue's
// bar: seven files per platform) and every file it names must exist.
const ROOT = join(import.meta.dirname, "../..");
const doc = readFileSync(join(ROOT, "docs", "architecture.md"), "utf8");
const flow = doc.slice(doc.indexOf("## How `/recommend` flows"), doc.indexOf("## Where to add"));

/** The numbered steps under the paragraph that starts with `**Platform**`. */
function steps(platform: string): string[] {
  const start = flow.indexOf(`**${platform}**`);
  const rest = flow.slice(start);
  const list = rest.slice(0, rest.search(/\n\n(?!\d+\. |\s)/) + 1);
  return [...list.matchAll(/^\d+\. `([^`]+)`/gm)].map((m) => m[1] as string);
}

describe("docs/architecture.md", () => {
  for (const platform of ["Slack", "Discord"]) {
    it(`traces ${platform}'s /recommend through at most seven files, each one there`, () => {
      const files = steps(platform);
      expect(files.length).toBeGreaterThanOrEqual(5);
      expect(files.length).toBeLessThanOrEqual(7);
      expect(new Set(files).size).toBe(files.length);
      expect(files.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
    });
  }

  it("names only files that exist", () => {
    const named = [...doc.matchAll(/`((?:bot|core|tests|sql|manifests)\/[\w./-]+\.\w+)`/g)].map(
      (m) => m[1] as string,
    );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
  });
});
