import { Command, InvalidArgumentError } from "commander";
import pino from "pino";
import type { TitleMatch } from "../../core/cards/card-service.ts";
import { movieLabel } from "../../core/catalog/movie.ts";
import { InvalidInputError, isMoviebotError } from "../../core/errors.ts";
import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  parseMovieId,
  parseRequest,
  type RecommendRequest,
  splitTitles,
} from "../../core/requests/recommend-request.ts";
import { buildCore } from "../builders/core-builder.ts";
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

/** CLI arguments as typed text: each argument is one title, and commas or semicolons separate more. */
function argumentTitles(args: readonly string[]): string[] {
  try {
    return splitTitles(args.join("\n"));
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

async function core() {
  const config = loadConfig();
  // Logs go to stderr so stdout stays clean for tables and --json.
  const logger = pino(
    { level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL },
    pino.destination(2),
  );
  // One command, one answer: threads to keep an event loop free would only add to its start.
  return buildCore({ ...config, RECOMMEND_THREADS: 0 }, logger);
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
    .option("-n, --limit <n>", "how many suggestions (1-25)", limitOption(25), DEFAULT_LIMIT)
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
    .option(
      "-n, --limit <n>",
      `how many recommendations (1-${MAX_LIMIT})`,
      limitOption(MAX_LIMIT),
      DEFAULT_LIMIT,
    )
    .option("--json", "print JSON")
    .action(async (movies: string[], opts: { limit: number; json?: boolean }) => {
      const typed = argumentTitles(movies);
      // On the command line a bare number is a movieId (the ids `suggest` prints); the rest are titles.
      const isId = (text: string) => parseMovieId(text) !== null;
      let request: RecommendRequest;
      try {
        request = parseRequest({
          name: "recommend",
          liked: typed.flatMap((t) => parseMovieId(t) ?? []),
          titles: typed.filter((t) => !isId(t)),
          limit: opts.limit,
        });
      } catch (error) {
        if (error instanceof InvalidInputError) throw new InvalidArgumentError(error.message);
        throw error;
      }
      if (request.name !== "recommend") return;
      const { cards } = await core();
      const resolved = await cards.resolveTitles(request.titles);
      // What each typed text matched, ids first: an id matches its movie, or nothing.
      const matches: TitleMatch[] = [
        ...request.liked.map((id): TitleMatch => {
          const movie = cards.movie(id);
          const match = movie
            ? { movieId: id, title: movie.title, year: movie.year, label: movieLabel(movie) }
            : null;
          return {
            typed: String(id),
            match,
            confidence: match ? 1 : 0,
            weak: null,
            candidates: [],
          };
        }),
        ...resolved.matches,
      ];
      const found = [
        ...new Map(
          matches.flatMap((m) => (m.match ? [[m.match.movieId, m.match] as const] : [])),
        ).values(),
      ];
      const unresolved = matches
        .filter((m) => !m.match && m.candidates.length === 0)
        .map((m) => m.typed);
      // Weak matches (a low score, or a close second) are skipped, never used silently.
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
        request.limit,
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
    .option("-n, --limit <n>", `how many (1-${MAX_LIMIT})`, limitOption(MAX_LIMIT), DEFAULT_LIMIT)
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
