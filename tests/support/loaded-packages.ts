// Run as a child process by tests/bot/app-modules.test.ts: starts `npm start`'s app with the
// settings in MOVIEBOT_TEST_SETTINGS (JSON) and prints, as JSON, every npm package whose modules
// were loaded by the time it was ready. The hook must be in place before the app is imported,
// which a test's own process (already loaded by the test runner) cannot arrange.
import { registerHooks } from "node:module";

const packages = new Set<string>();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url);
    if (match) packages.add(match[1] as string);
    return resolved;
  },
});

const { loadConfig } = await import("../../bot/config.ts");
const { startApp } = await import("../../bot/app.ts");
const { default: pino } = await import("pino");
const settings = JSON.parse(process.env.MOVIEBOT_TEST_SETTINGS ?? "{}") as Record<string, string>;
const app = await startApp(loadConfig(settings), pino({ level: "silent" }));
await app.ready;
process.stdout.write(JSON.stringify([...packages].sort()));
await app.close();
process.exit(0);
