// `npm run worker`: a BullMQ worker as its own process (the Cloud Run worker service).
import pino from "pino";
import { ConfigError, loadConfig } from "./config.ts";
import { runWorkerProcess } from "./worker-process.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const { redis } = config;
if (!redis) {
  process.stderr.write("npm run worker needs REDIS_URL: the queue it consumes.\n");
  process.exit(1);
}

const logger = pino({ level: config.LOG_LEVEL });
try {
  await runWorkerProcess({ ...config, redis }, logger);
} catch (error) {
  logger.fatal({ err: error }, "worker start-up failed");
  process.exit(1);
}
