import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { itemNeighbourSqlValues } from "../../../core/recommend/item-neighbours.ts";
import { DEFAULT_SQL_DIR, declaredParameters, SqlLoader } from "../../../core/sql/sql-loader.ts";

const loader = new SqlLoader();
const names = readdirSync(DEFAULT_SQL_DIR)
  .filter((f) => f.endsWith(".sql"))
  .map((f) => f.slice(0, -4));

describe("sql/ statements", () => {
  it.each(names)("%s.sql declares exactly the parameters it uses", (name) => {
    const text = loader.text(name);
    expect(text.startsWith(`-- ${name}:`)).toBe(true);
    const body = loader.render(name, {
      dataset: "d",
      model: "m",
      num_factors: 1,
      wals_alpha: 1,
      l2_reg: 1,
      max_iterations: 1,
      member_base: 1,
      ...itemNeighbourSqlValues(),
    });
    const used = [
      ...new Set(
        body
          .split("\n")
          .filter((line) => !line.trimStart().startsWith("--"))
          .flatMap((line) => [...line.matchAll(/@([A-Za-z_]\w*)/g)].map((m) => m[1])),
      ),
    ].sort();
    expect(used).toEqual(declaredParameters(text).sort());
  });

  it("fills identifiers and numbers and inlines included statements", () => {
    const sql = loader.render("recommend_for_liked", { dataset: "movielens", model: "mf_v2" });
    expect(sql).toContain("ML.RECOMMEND(MODEL movielens.mf_v2");
    expect(sql).toContain("ARRAY_AGG(movieId ORDER BY movieId) AS shared");
    expect(sql.replace(/^--.*$/gm, "")).not.toMatch(/\{\{/);
    expect(
      loader.render("create_model", {
        dataset: "d",
        model: "m",
        num_factors: 32,
        wals_alpha: 40,
        l2_reg: 0.1,
        max_iterations: 10,
      }),
    ).toMatch(/num_factors = 32,\s+wals_alpha = 40,\s+l2_reg = 0.1,\s+max_iterations = 10/);
  });

  it("refuses anything that is not a plain identifier or a finite number", () => {
    expect(() => loader.render("popular_movies", { dataset: "x; DROP TABLE ratings --" })).toThrow(
      /must be an identifier/,
    );
    expect(() => loader.render("popular_movies", { dataset: "my-project.ds" })).toThrow(
      /must be an identifier/,
    );
    expect(() =>
      loader.render("create_model", {
        dataset: "d",
        model: "m",
        num_factors: Number.NaN,
        wals_alpha: 1,
        l2_reg: 1,
        max_iterations: 1,
      }),
    ).toThrow(/finite number/);
    expect(() => loader.render("popular_movies", {})).toThrow(/no value for \{\{dataset\}\}/);
    expect(() => loader.text("../etc/passwd")).toThrow(/Not a statement name/);
  });
});

describe("placeholders in comments", () => {
  it("leaves the header's documentation alone and only fills code", () => {
    const sql = loader.render("recommend_for_liked", { dataset: "movielens", model: "mf" });
    const header = sql.split("\n").filter((line) => line.startsWith("--"));
    expect(header.join("\n")).toContain("{{> similar_users}} inlines similar_users.sql");
    expect(sql.split("\n").every((line) => line.startsWith("--") || !line.includes("{{"))).toBe(
      true,
    );
  });
});
