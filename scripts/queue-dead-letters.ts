/**
 * `npm run queue:dead-letters [-- --limit N]`: the latest jobs that gave up (newest first), for
 * an operator. Reads the list the workers write (`moviebot:<QUEUE_NAME>:dead-letters`); no
 * payloads, so no reply tokens, are stored there or shown here.
 */
import Table from "cli-table3";
import { Command } from "commander";
import { loadConfig } from "../bot/config.ts";
import { DeadLetterLog } from "../bot/queue/dead-letters.ts";
import { moviebotKeyPrefix } from "../bot/queue/queue-names.ts";
import { closeConnection, createProducerConnection } from "../bot/queue/redis-connections.ts";

const config = loadConfig();
const opts = new Command()
  .name("queue:dead-letters")
  .description("Jobs the queue gave up on, with the reason")
  .option("--limit <n>", "how many", "20")
  .parse()
  .opts<{ limit: string }>();

if (!config.redis) {
  process.stderr.write("REDIS_URL is unset: without the queue there are no dead letters.\n");
  process.exit(1);
}
const redisUrl = config.redis.url;
const redis = createProducerConnection(redisUrl);
await new Promise((resolve, reject) => {
  redis.once("ready", resolve);
  setTimeout(() => reject(new Error(`Redis at ${redisUrl} did not answer`)), 3_000).unref();
});
const log = new DeadLetterLog({ redis, prefix: moviebotKeyPrefix(config.queue.name) });
const total = await log.count();
const letters = await log.latest(Number(opts.limit));
const table = new Table({
  head: ["when", "job", "platform", "reason", "tries", "apology", "detail"],
  colWidths: [26, 24, 10, 20, 7, 9, 50],
  wordWrap: true,
});
for (const l of letters) {
  table.push([
    l.at,
    l.jobId,
    l.platform ?? "?",
    l.reason,
    l.attempts,
    l.apologized ? "sent" : "no",
    l.detail,
  ]);
}
console.log(`${total} dead letter(s) in ${log.key}; latest ${letters.length}:`);
console.log(table.toString());
await closeConnection(redis);
