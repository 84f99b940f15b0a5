import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema } from "../bot/config.ts";

/**
 * The schema, .env.example and the README's settings table must list the same settings: a setting
 * missing from the docs is one nobody can find, and a documented one missing from the schema is
 * silently ignored.
 */
const ROOT = join(import.meta.dirname, "..");

const schemaNames = Object.keys(configSchema.shape);

function envExampleNames(): string[] {
  const text = readFileSync(join(ROOT, ".env.example"), "utf8");
  return [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
}

function readmeTableNames(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = /^## Settings\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Settings" section');
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\|/gm)].map((m) => m[1] as string);
}

const duplicates = (names: string[]) => names.filter((name, i) => names.indexOf(name) !== i);
const sorted = (names: string[]) => [...new Set(names)].sort();

describe("settings documentation", () => {
  it(".env.example lists exactly the schema's settings, once each", () => {
    const names = envExampleNames();
    expect(duplicates(names)).toEqual([]);
    expect(sorted(names)).toEqual(sorted(schemaNames));
  });

  it("the README's settings table lists exactly the schema's settings, once each", () => {
    const names = readmeTableNames();
    expect(duplicates(names)).toEqual([]);
    expect(sorted(names)).toEqual(sorted(schemaNames));
  });

  it("documents the settings the deployment relies on", () => {
    for (const name of ["REDIS_URL", "RUN_WORKER", "BIGQUERY_DATASET", "ELASTICSEARCH_API_KEY"]) {
      expect(schemaNames).toContain(name);
    }
  });
});
