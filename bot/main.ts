import pino from "pino";
import { isMoviebotError } from "../core/errors.ts";
import { startEarly } from "./builders/early-search.ts";
import { ConfigError, loadConfig } from "./config.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

// Readable lines on a terminal; JSON (what Cloud Logging and other collectors parse) otherwise.
const logger = process.stdout.isTTY
  ? pino(
      { level: config.LOG_LEVEL },
      pino.transport({
        target: "pino-pretty",
        options: { colorize: true, ignore: "pid,hostname", translateTime: "HH:MM:ss" },
      }),
    )
  : pino({ level: config.LOG_LEVEL });

/** A start-up failure a person can fix: one line saying what and which setting, no stack. */
function fail(message: string): never {
  logger.fatal(message);
  // pino flushes its transport (pino-pretty's worker thread) on exit.
  process.exit(1);
}

// The search thread first, from the snapshot file: it builds its index on the other core while
// this one loads the rest of the server (0.7–1.8 s of modules at a cold start), so the first
// keystroke after a scale from zero is answered within Slack's and Discord's 3 s. The
// recommendation threads too: they load their modules meanwhile and wait for the data.
const early = startEarly(config);
const { startApp } = await import("./app.ts");

let app: Awaited<ReturnType<typeof startApp>>;
try {
  app = await startApp(config, logger, {}, early);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    fail(
      `Port ${config.PORT} is already in use: stop what listens there, or set PORT to a free port`,
    );
  } else if (code === "EADDRNOTAVAIL" || code === "EACCES") {
    fail(`Cannot listen on ${config.HOST}:${config.PORT} (${code}): check HOST and PORT`);
  }
  throw error;
}
app.ready.catch((error: unknown) => {
  // Nothing is served half-loaded: a core that failed to build ends the process.
  if (isMoviebotError(error)) fail(error.message);
  logger.fatal({ err: error }, "start-up failed");
  process.exit(1);
});

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // Cloud Run allows 10 s after SIGTERM; leave margin for in-flight replies.
    const force = setTimeout(() => process.exit(0), 9_000);
    force.unref();
    void app.close().then(() => process.exit(0));
  });
}
