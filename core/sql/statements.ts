import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_SQL_DIR, SqlLoader } from "./sql-loader.ts";

/**
 * The member store's statements for one engine (sql/sqlite/, sql/postgres/), read through the
 * SqlLoader and cached. Both engines' files name their parameters `@name`: node:sqlite binds them
 * by name; for PostgreSQL, `positional` turns them into $1, $2 … in the order first used.
 */
export type Engine = "sqlite" | "postgres";

/** Migrations are the files named vNNN_*.sql, applied in name order. */
const MIGRATION = /^(v\d{3}_[a-z0-9_]+)\.sql$/;
const PARAMETER = /@([A-Za-z_][A-Za-z0-9_]*)/g;

export interface PositionalStatement {
  text: string;
  /** Parameter names in $n order. */
  names: string[];
}

export class EngineStatements {
  readonly engine: Engine;
  private readonly dir: string;
  private readonly loader: SqlLoader;
  private readonly code = new Map<string, string>();
  private readonly positionalCache = new Map<string, PositionalStatement>();

  constructor(engine: Engine, sqlDir: string = DEFAULT_SQL_DIR) {
    this.engine = engine;
    this.dir = resolve(sqlDir, engine);
    this.loader = new SqlLoader(this.dir);
  }

  /** The statement's code, comment lines left out. */
  sql(name: string): string {
    let text = this.code.get(name);
    if (text === undefined) {
      text = this.loader
        .text(name)
        .split("\n")
        .filter((line) => !line.trimStart().startsWith("--"))
        .join("\n")
        .trim();
      this.code.set(name, text);
    }
    return text;
  }

  /** The statement with `@name` replaced by `$n` (PostgreSQL's placeholders). */
  positional(name: string): PositionalStatement {
    let statement = this.positionalCache.get(name);
    if (!statement) {
      const names: string[] = [];
      const text = this.sql(name).replace(PARAMETER, (_, param: string) => {
        let index = names.indexOf(param);
        if (index < 0) index = names.push(param) - 1;
        return `$${index + 1}`;
      });
      statement = { text, names };
      this.positionalCache.set(name, statement);
    }
    return statement;
  }

  /** Migration names (file names without .sql), oldest first. */
  migrations(): string[] {
    return readdirSync(this.dir)
      .flatMap((file) => MIGRATION.exec(file)?.[1] ?? [])
      .sort();
  }
}
