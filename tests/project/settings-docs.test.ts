import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../bot/config.ts";

/**
 * The schema, .env.example and the settings table in docs/settings.md must list the same settings
 * with the same defaults: a setting missing from the docs is one nobody can find, a documented one
 * missing from the schema is silently ignored, and a wrong default misleads whoever tunes it.
 */
const ROOT = join(import.meta.dirname, "../..");

const schemaNames = Object.keys(configSchema.shape);

function envExampleNames(): string[] {
  const text = readFileSync(join(ROOT, ".env.example"), "utf8");
  return [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
}

interface TableRow {
  name: string;
  /** The Default cell as written: "`3000`", "—", "Slack's", … */
  defaultCell: string;
}

function settingsTable(): TableRow[] {
  const text = readFileSync(join(ROOT, "docs", "settings.md"), "utf8");
  return [...text.matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\| ([^|]*?) +\|/gm)].map((m) => ({
    name: m[1] as string,
    defaultCell: m[2] as string,
  }));
}

/**
 * .env.example's comments say each default in prose ("(default 3000; Cloud Run …)"). Every default
 * a comment names must be the schema's default of one of the variables it describes (the block of
 * NAME= lines that follows it).
 */
function envExampleDefaults(): { names: string[]; said: string }[] {
  const lines = readFileSync(join(ROOT, ".env.example"), "utf8").split("\n");
  const found: { names: string[]; said: string }[] = [];
  let comments: string[] = [];
  let names: string[] = [];
  const flush = () => {
    for (const m of comments.join(" ").matchAll(/\bdefault:? `?([\w.:/'-]+)/g)) {
      const said = (m[1] as string).replace(/[.:]$/, "");
      // Prose, not a value: "the default strategy", "GroupLens' ml-latest-small.zip".
      if (said.includes("'") || ["strategy", "and", "the", "means"].includes(said)) continue;
      if (names.length > 0) found.push({ names, said });
    }
    comments = [];
    names = [];
  };
  for (const line of lines) {
    const variable = /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
    if (variable) names.push(variable);
    else if (line.startsWith("#")) {
      if (names.length > 0) flush();
      comments.push(line);
    } else flush();
  }
  flush();
  return found;
}

const duplicates = (names: string[]) => names.filter((name, i) => names.indexOf(name) !== i);
const sorted = (names: string[]) => [...new Set(names)].sort();

describe("settings documentation", () => {
  it(".env.example lists exactly the schema's settings, once each", () => {
    const names = envExampleNames();
    expect(duplicates(names)).toEqual([]);
    expect(sorted(names)).toEqual(sorted(schemaNames));
  });

  it(".env.example's comments give the schema's defaults", () => {
    const defaults = configSchema.parse({}) as Record<string, unknown>;
    const said = envExampleDefaults();
    expect(said.length).toBeGreaterThan(30);
    const wrong = said
      .filter(({ names, said }) => !names.some((name) => String(defaults[name]) === said))
      .map(({ names, said }) => `${names.join(", ")}: .env.example says default ${said}`);
    expect(wrong).toEqual([]);
  });

  it("docs/settings.md's table lists exactly the schema's settings, once each", () => {
    const names = settingsTable().map((row) => row.name);
    expect(duplicates(names)).toEqual([]);
    expect(sorted(names)).toEqual(sorted(schemaNames));
  });

  it("docs/settings.md's defaults are the schema's: a literal where one is written, — where none", () => {
    const defaults = configSchema.parse({}) as Record<string, unknown>;
    const wrong: string[] = [];
    for (const { name, defaultCell } of settingsTable()) {
      const actual = defaults[name];
      const literal = /^`([^`]*)`$/.exec(defaultCell)?.[1];
      if (literal !== undefined) {
        if (String(actual) !== literal) wrong.push(`${name}: documented ${literal}, is ${actual}`);
      } else if (defaultCell.startsWith("—") && actual !== undefined) {
        wrong.push(`${name}: documented without a default, is ${actual}`);
      } else if (!defaultCell.startsWith("—") && actual === undefined) {
        wrong.push(`${name}: documented default "${defaultCell}", has none`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("the README's settings in brief give the schema's names and defaults", () => {
    const defaults = configSchema.parse({}) as Record<string, unknown>;
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const brief = readme.slice(readme.indexOf("## Settings in brief"), readme.indexOf("## More"));
    const named = [...brief.matchAll(/`([A-Z][A-Z0-9_]*)(?:=[^`]*)?`/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !schemaNames.includes(name))).toEqual([]);
    // "`PORT` (3000)", "`LOG_LEVEL` (`info`)": a default in brackets right after the name.
    const said = [...brief.matchAll(/`([A-Z][A-Z0-9_]*)` \(`?([^)`]+)`?\)/g)];
    expect(said.length).toBeGreaterThanOrEqual(3);
    const wrong = said
      .filter(([, name, value]) => String(defaults[name as string]) !== value)
      .map(([, name, value]) => `${name}: README says ${value}, is ${defaults[name as string]}`);
    expect(wrong).toEqual([]);
  });

  it("documents the settings the deployment relies on", () => {
    for (const name of ["REDIS_URL", "RUN_WORKER", "BIGQUERY_DATASET", "ELASTICSEARCH_API_KEY"]) {
      expect(schemaNames).toContain(name);
    }
  });
});
