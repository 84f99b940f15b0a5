// `npm run snapshot`: writes CACHE_DIR/snapshot.bin from the data MOVIELENS_DIR (or the default
// download) holds, for the strategy RECOMMENDER_STRATEGY names: the file a start reads instead of
// parsing CSV. The Docker image bakes it with `--build-arg SNAPSHOT_BAKE=1`.
import pino from "pino";
import { writeStartupSnapshot } from "../bot/builders/serving-data.ts";
import { ConfigError, loadConfig } from "../bot/config.ts";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const logger = pino({ level: config.LOG_LEVEL });
const path = await writeStartupSnapshot(config, logger);
process.stdout.write(`${path}\n`);
