import { Command, InvalidArgumentError } from "commander";
import pino from "pino";
import { MAX_LIKED, type TitleMatch } from "../../core/cards/card-service.ts";
import { movieLabel } from "../../core/catalog/movie.ts";
import { isMoviebotError } from "../../core/errors.ts";
import { buildCore } from "../compose.ts";
import { ConfigError, loadConfig } from "../config.ts";
import {
  cardsJson,
  cardsTable,
  matchesJson,
  matchesTable,
  suggestionsTable,
  weakLine,
} from "./format.ts";

function limitOption(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) {
      throw new InvalidArgumentError(`must be a whole number between 1 and ${max}`);
    }
    return n;
  };
}

/** Splits CLI arguments into titles: each argument is one title, and commas or semicolons separate more. */
export function splitTitles(args: readonly string[]): string[] {
  return args
    .flatMap((arg) => arg.split(/[,;\n]/))
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

async function core() {
  const config = loadConfig();
  // Logs go to stderr so stdout stays clean for tables and --json.
  const logger = pino(
    { level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL },
    pino.destination(2),
  );
  return buildCore(config, logger);
}

function print(json: boolean, value: unknown, text: string) {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

export function createCli(): Command {
  const program = new Command("moviebot")
    .description("Movie suggestions and recommendations from MovieLens, in your terminal.")
    .showHelpAfterError();

  program
    .command("suggest")
    .description("as-you-type title search")
    .argument("<text...>", "the text typed so far")
    .option("-n, --limit <n>", "how many suggestions (1-25)", limitOption(25), 10)
    .option("--json", "print JSON")
    .action(async (text: string[], opts: { limit: number; json?: boolean }) => {
      const { cards } = await core();
      const results = await cards.suggest(text.join(" "), opts.limit);
      print(!!opts.json, { results }, suggestionsTable(results));
    });

  program
    .command("recommend")
    .description('recommendations from movies you like: titles ("Heat 1995") or movieIds')
    .argument(
      "<movies...>",
      "titles or movieIds; quote multi-word titles or separate them with commas",
    )
    .option("-n, --limit <n>", "how many recommendations (1-50)", limitOption(50), 10)
    .option("--json", "print JSON")
    .action(async (movies: string[], opts: { limit: number; json?: boolean }) => {
      const titles = splitTitles(movies);
      if (titles.length > MAX_LIKED) {
        throw new InvalidArgumentError(`at most ${MAX_LIKED} movies (got ${titles.length})`);
      }
      const { cards } = await core();
      // On the command line a bare number is a movieId (the ids `suggest` prints); the rest are titles.
      const isId = (t: string) => /^\d+$/.test(t);
      const resolved = await cards.resolveTitles(titles.filter((t) => !isId(t)));
      const byTitle = new Map(resolved.matches.map((m) => [m.typed, m]));
      const matches: TitleMatch[] = titles.flatMap((t) => {
        if (!isId(t)) return byTitle.has(t) ? [byTitle.get(t) as TitleMatch] : [];
        const movie = cards.movie(Number(t));
        const match = movie
          ? {
              movieId: movie.movieId,
              title: movie.title,
              year: movie.year,
              label: movieLabel(movie),
            }
          : null;
        return [{ typed: t, match, confidence: match ? 1 : 0, weak: null, candidates: [] }];
      });
      const found = [
        ...new Map(
          matches.flatMap((m) => (m.match ? [[m.match.movieId, m.match] as const] : [])),
        ).values(),
      ];
      const unresolved = matches
        .filter((m) => !m.match && m.candidates.length === 0)
        .map((m) => m.typed);
      const weak = matches.filter((m) => m.weak !== null);
      if (found.length === 0) {
        const why = [
          ...(unresolved.length > 0 ? [`No movie matched: ${unresolved.join(", ")}`] : []),
          ...weak.map(weakLine),
        ];
        process.stderr.write(`${why.join("\n")}\n`);
        process.exitCode = 1;
        return;
      }
      if (!opts.json) {
        if (unresolved.length > 0)
          process.stderr.write(`Not found (ignored): ${unresolved.join(", ")}\n`);
        for (const m of weak) process.stderr.write(`${weakLine(m)}\n`);
        process.stderr.write(`Because you like: ${found.map((m) => m.title).join(", ")}\n`);
      }
      const set = await cards.recommend(
        found.map((m) => m.movieId),
        opts.limit,
      );
      print(
        !!opts.json,
        { ...cardsJson(set, unresolved), matches: matchesJson(matches) },
        `${matchesTable(matches)}\n${cardsTable(set)}`,
      );
    });

  program
    .command("popular")
    .description("popular picks: well-loved, widely rated movies")
    .option("-n, --limit <n>", "how many (1-50)", limitOption(50), 10)
    .option("--json", "print JSON")
    .action(async (opts: { limit: number; json?: boolean }) => {
      const { cards } = await core();
      const set = await cards.popular(opts.limit);
      print(!!opts.json, cardsJson(set), cardsTable(set));
    });

  return program;
}

export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await createCli().parseAsync(argv as string[]);
  } catch (error) {
    if (
      error instanceof ConfigError ||
      isMoviebotError(error) ||
      error instanceof InvalidArgumentError
    ) {
      process.stderr.write(`moviebot: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}
