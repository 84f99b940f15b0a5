import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM_REASON = `${CHROMIUM} not installed: skipping the browser tests (apt-get install -y chromium; .ci/run does)`;

/** Where browser tests leave screenshots (git-ignored). */
export const TEST_OUTPUT = resolve(import.meta.dirname, "../../.cache/test-output/web");

export function testOutput(name: string): string {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  return join(TEST_OUTPUT, name);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
