import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";

/** The file, in DATA_DIR, that keeps a generated secret across restarts. */
export const SESSION_SECRET_FILE = "session-secret";
const MIN_LENGTH = 32;

/**
 * The key that signs web member cookies: SESSION_SECRET when set, else one generated on first
 * start and kept in DATA_DIR (mode 0600), so a restart does not turn every browser into a
 * stranger. A generated secret serves one machine only: instances behind one address must share
 * SESSION_SECRET, or each rejects the others' cookies.
 */
export async function loadSessionSecret(
  settings: { SESSION_SECRET?: string | undefined; DATA_DIR: string },
  logger: Logger,
): Promise<string> {
  if (settings.SESSION_SECRET) return settings.SESSION_SECRET;
  const path = join(settings.DATA_DIR, SESSION_SECRET_FILE);
  if (!(await exists(path))) {
    const generated = await generate(path, settings.DATA_DIR);
    if (generated) {
      logger.info(
        { path },
        "SESSION_SECRET generated and kept for the next start; set SESSION_SECRET when several instances serve the page",
      );
      return generated;
    }
  }
  const kept = (await readFile(path, "utf8")).trim();
  if (kept.length < MIN_LENGTH) {
    throw new Error(
      `${path} holds no usable session secret (under ${MIN_LENGTH} characters): delete it to generate a new one, or set SESSION_SECRET`,
    );
  }
  // Only the bot may read a key that lets anyone sign cookies.
  if (((await stat(path)).mode & 0o077) !== 0) {
    await chmod(path, 0o600);
    logger.warn({ path }, "session secret file was readable by others; now mode 0600");
  }
  return kept;
}

/**
 * Writes a new secret aside, then links it into place: of two processes starting at once, one
 * links and the other reads a complete file, never a half-written one. Undefined: it lost.
 */
async function generate(path: string, dir: string): Promise<string | undefined> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("hex");
  const draft = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(draft, `${secret}\n`, { flag: "wx", mode: 0o600 });
  try {
    await link(draft, path);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
