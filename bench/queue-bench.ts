// npm run bench:queue [-- --quick]: the queue section alone (see bench/queue.ts), as a table.
// Redis from REDIS_URL, default the local one.
import Table from "cli-table3";
import { Command } from "commander";
import { measureQueue } from "./queue.ts";

const opts = new Command()
  .name("bench:queue")
  .option("--quick", "fewer jobs")
  .option("--concurrency <n>", "worker concurrency", "16")
  .parse()
  .opts<{ quick?: boolean; concurrency: string }>();

const figures = await measureQueue({
  redisUrl: process.env.REDIS_URL || "redis://127.0.0.1:6379",
  concurrency: Number(opts.concurrency),
  quick: opts.quick === true,
});
const table = new Table({
  head: ["path", "mode", "jobs", "p50 ms", "p99 ms", "jobs/s"],
  colAligns: ["left", "left", "right", "right", "right", "right"],
});
for (const f of figures) {
  table.push([f.path, f.mode, f.jobs, f.p50.toFixed(2), f.p99.toFixed(2), Math.round(f.perSecond)]);
}
const p50 = (path: string) =>
  figures.find((f) => f.path === path && f.mode === "one at a time")?.p50 ?? Number.NaN;
console.log(`Queue path: submit → delivered (stub core, concurrency ${opts.concurrency})`);
console.log(table.toString());
console.log(
  `BullMQ adds ${(p50("BullMQ (Redis)") - p50("in-process")).toFixed(2)} ms at p50 to a reply, one job at a time.`,
);
