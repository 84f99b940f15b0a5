import pino from "pino";
import { startApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = pino({ level: config.LOG_LEVEL });
const app = await startApp(config, logger);
app.ready.catch((error: unknown) => {
  // Nothing is served half-loaded: a core that failed to build ends the process.
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
