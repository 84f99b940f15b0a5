import { CronExpressionParser } from "cron-parser";
import { MovieNightError, WEEKDAYS } from "./movie-night.ts";

/** "fri 19:00 Europe/Zurich" as the command takes it. */
export interface WeeklyTime {
  weekday: number;
  time: string;
  timeZone: string;
}

const USAGE =
  "Say when, e.g. `schedule fri 19:00 Europe/Zurich` (a weekday, a 24-hour time and an IANA " +
  "time zone).";

/** Parses the schedule's words; a clear MovieNightError("bad_schedule") for anything else. */
export function parseWeeklyTime(words: readonly string[]): WeeklyTime {
  const [day, time, zone, ...rest] = words;
  if (!day || !time || !zone || rest.length > 0) throw new MovieNightError("bad_schedule", USAGE);
  const weekday = WEEKDAYS.indexOf(day.slice(0, 3).toLowerCase() as (typeof WEEKDAYS)[number]);
  const fullDay = /^(sun|mon|tue|wed|thu|fri|sat)[a-z]*$/i.test(day);
  if (weekday < 0 || !fullDay)
    throw new MovieNightError("bad_schedule", `"${day}" is not a weekday. ${USAGE}`);
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new MovieNightError("bad_schedule", `"${time}" is not a time. ${USAGE}`);
  if (!isTimeZone(zone))
    throw new MovieNightError("bad_schedule", `"${zone}" is not an IANA time zone. ${USAGE}`);
  return { weekday, time: `${match[1]?.padStart(2, "0")}:${match[2]}`, timeZone: zone };
}

function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The cron pattern (minute hour * * weekday) that BullMQ's job scheduler and cron-parser share. */
export function cronPattern(when: Pick<WeeklyTime, "weekday" | "time">): string {
  const [hour, minute] = when.time.split(":").map(Number);
  return `${minute} ${hour} * * ${when.weekday}`;
}

/**
 * The next occurrence after `from` (epoch ms), in the schedule's zone: 19:00 in Zurich is 18:00
 * UTC in winter and 17:00 UTC in summer. A local time that a spring-forward skips runs at the
 * first instant after the gap (cron-parser's rule).
 */
export function nextOccurrence(when: WeeklyTime, from: number): number {
  return CronExpressionParser.parse(cronPattern(when), {
    tz: when.timeZone,
    currentDate: new Date(from),
  })
    .next()
    .getTime();
}

/** The latest occurrence at or before `at`: which occurrence a run that fired at `at` belongs to. */
export function occurrenceAtOrBefore(when: WeeklyTime, at: number): number {
  // A minute of slack: a job that fires a few ms early still belongs to this minute's occurrence.
  return CronExpressionParser.parse(cronPattern(when), {
    tz: when.timeZone,
    currentDate: new Date(at + 60_000),
  })
    .prev()
    .getTime();
}

/** "every Friday at 19:00 (Europe/Zurich)". */
export function describeWeekly(when: WeeklyTime): string {
  const names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  return `every ${names[when.weekday]} at ${when.time} (${when.timeZone})`;
}
