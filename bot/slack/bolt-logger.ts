import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "pino";

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
};

/** Bolt logs through the app's pino logger, so its lines share the format, level and redaction. */
export function boltLogger(logger: Logger): BoltLogger {
  let log = logger.child({ component: "bolt" });
  // Bolt passes strings and Error objects; pino wants the error first to serialise it.
  const write =
    (level: "debug" | "info" | "warn" | "error") =>
    (...messages: unknown[]) => {
      const error = messages.find((m): m is Error => m instanceof Error);
      const text = messages
        .filter((m) => m !== error)
        .map(String)
        .join(" ");
      if (error) log[level]({ err: error }, text);
      else log[level](text);
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    // LOG_LEVEL decides, not Bolt: ignoring its setLevel keeps one source of truth.
    setLevel: () => {},
    getLevel: () => LEVELS[log.level] ?? LogLevel.ERROR,
    setName: (name: string) => {
      log = logger.child({ component: name });
    },
  };
}
