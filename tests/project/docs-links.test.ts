import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The README is the front door and docs/ holds the details: a link from either (or a docs/ path a
 * manifest's comment names) that leads nowhere is a dead end for the newcomer following it.
 */
const ROOT = join(import.meta.dirname, "../..");
const markdown = [
  "README.md",
  ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f)),
].filter((f) => f.endsWith(".md"));

function relativeLinks(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe("documentation links", () => {
  it("every relative link in README.md and docs/ names a file that exists", () => {
    const dead = markdown.flatMap((file) =>
      relativeLinks(file)
        .filter((target) => !existsSync(join(ROOT, dirname(file), target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(dead).toEqual([]);
  });

  it("the README links to each topic's document", () => {
    const links = relativeLinks("README.md");
    for (const topic of [
      "slack",
      "discord",
      "deploy",
      "http-api",
      "operations",
      "settings",
      "architecture",
      "bench",
      "quality",
    ]) {
      expect(links).toContain(`docs/${topic}.md`);
    }
  });

  it("every docs/ path a manifest names exists", () => {
    const manifests = readdirSync(join(ROOT, "manifests"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath.slice(ROOT.length + 1), entry.name));
    const named = manifests.flatMap((file) =>
      [...readFileSync(join(ROOT, file), "utf8").matchAll(/\bdocs\/[\w.-]+\.md\b/g)].map(
        (m) => m[0],
      ),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
