import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { requireChromium } from "./requirements.ts";

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it), or CHROMIUM_PATH. */
export const chromiumRequirement = requireChromium();

/** Where browser tests leave screenshots (git-ignored). */
export const TEST_OUTPUT = resolve(import.meta.dirname, "../../.cache/test-output/web");

export function testOutput(name: string): string {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  return join(TEST_OUTPUT, name);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    // Only called when the requirement is met, so the path is there.
    executablePath: chromiumRequirement.path as string,
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
