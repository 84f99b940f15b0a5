import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Loads the statements in sql/ (one per file, snake_case, opened by a comment naming its parameters)
 * and fills their placeholders. User values never go through here: they travel as query parameters
 * (@liked, @k …). Placeholders only carry what BigQuery cannot take as a parameter:
 *
 * - `{{name}}`: an identifier (dataset, model) matching IDENTIFIER, or a finite number (model options,
 *   which DDL cannot parameterize). Both come from validated config, never from a request.
 * - `{{> other}}`: the text of sql/other.sql without its comment lines, so a statement can embed another
 *   as a CTE and the two cannot drift apart.
 */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STATEMENT_NAME = /^[a-z_][a-z0-9_]*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const INCLUDE = /\{\{>\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

export type SqlValue = string | number;

export const DEFAULT_SQL_DIR = resolve(import.meta.dirname, "../../sql");

export class SqlLoader {
  private readonly dir: string;
  private readonly cache = new Map<string, string>();

  constructor(dir: string = DEFAULT_SQL_DIR) {
    this.dir = dir;
  }

  /** The file's text as written (comments included), read once. */
  text(name: string): string {
    if (!STATEMENT_NAME.test(name))
      throw new Error(`Not a statement name: ${JSON.stringify(name)}`);
    let text = this.cache.get(name);
    if (text === undefined) {
      text = readFileSync(resolve(this.dir, `${name}.sql`), "utf8");
      this.cache.set(name, text);
    }
    return text;
  }

  /** The statement with includes expanded and every placeholder filled; throws on a missing or unsafe value. */
  render(name: string, values: Readonly<Record<string, SqlValue>> = {}): string {
    return mapCode(this.expand(name, new Set()), (line) =>
      line.replace(PLACEHOLDER, (_, key: string) => {
        if (!Object.hasOwn(values, key))
          throw new Error(`sql/${name}.sql: no value for {{${key}}}`);
        return sqlLiteral(key, values[key] as SqlValue);
      }),
    );
  }

  private expand(name: string, seen: Set<string>): string {
    if (seen.has(name)) throw new Error(`sql/${name}.sql includes itself`);
    const inner = new Set(seen).add(name);
    return mapCode(this.text(name), (line) =>
      line.replace(INCLUDE, (_, other: string) => stripComments(this.expand(other, inner))),
    );
  }
}

function sqlLiteral(key: string, value: SqlValue): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`{{${key}}} must be a finite number`);
    return String(value);
  }
  if (!IDENTIFIER.test(value)) {
    throw new Error(
      `{{${key}}} must be an identifier (${IDENTIFIER.source}), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Applies `fn` to code lines only: the header comments name placeholders without being filled. */
function mapCode(sql: string, fn: (line: string) => string): string {
  return sql
    .split("\n")
    .map((line) => (line.trimStart().startsWith("--") ? line : fn(line)))
    .join("\n");
}

function stripComments(sql: string): string {
  return sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .trim();
}

/** The parameters a statement declares in its opening comment ("@liked ARRAY<INT64>" → "liked"). */
export function declaredParameters(text: string): string[] {
  const header = text
    .split("\n")
    .filter((line) => line.trimStart().startsWith("--"))
    .join("\n");
  return [
    ...new Set([...header.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string)),
  ];
}
