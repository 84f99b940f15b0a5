// Placeholder entry point; the composition root lands with the HTTP API.
import pino from "pino";
import { loadConfig } from "./config.ts";
import { HttpServer } from "./http/server.ts";

const config = loadConfig();
const logger = pino({ level: config.LOG_LEVEL });
await new HttpServer(logger).listen(config.PORT);
