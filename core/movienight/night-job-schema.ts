import { z } from "zod";
import type { NightJob } from "./night-ports.ts";

/**
 * A night job as it comes back from Redis: checked, since a payload may come from another release;
 * a bad one fails its job instead of reaching the service.
 */
const nightJobSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("close-joining"), nightId: z.uuid() }),
  z.object({ kind: z.literal("close-voting"), nightId: z.uuid() }),
  z.object({ kind: z.literal("scheduled"), scheduleId: z.string().min(1).max(200) }),
]) satisfies z.ZodType<NightJob>;

export function parseNightJob(data: unknown): NightJob {
  return nightJobSchema.parse(data);
}
