import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
export const DEPLOY_SH = join(REPO_ROOT, "deploy.sh");

/** One command deploy.sh printed (`+ ...`): its argv, and whether a secret was piped into it. */
export interface PrintedCommand {
  argv: string[];
  secretOnStdin: boolean;
}

export interface DeployRun {
  status: number | null;
  stdout: string;
  stderr: string;
  commands: PrintedCommand[];
}

/** A scratch directory holding an env file, as a user's checkout would. */
export function scratchDir(envFile?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "moviebot-deploy-"));
  if (envFile !== undefined) writeFileSync(join(dir, ".env"), envFile);
  return dir;
}

/**
 * Runs deploy.sh with bash in `cwd` and a clean environment (only what `env` adds), so a developer's
 * own PROJECT_ID or REDIS_URL cannot leak into the assertions.
 */
export function runDeploy(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; path?: string },
): DeployRun {
  const result = spawnSync("bash", [DEPLOY_SH, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    env: {
      PATH: options.path ?? "/usr/local/bin:/usr/bin:/bin",
      HOME: options.cwd,
      ...options.env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    commands: parseCommands(result.stdout),
  };
}

function parseCommands(output: string): PrintedCommand[] {
  const commands: PrintedCommand[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith("+ ")) continue;
    const words = shellWords(line.slice(2));
    const pipe = words.indexOf("|");
    commands.push(
      pipe >= 0
        ? { argv: words.slice(pipe + 1), secretOnStdin: words.includes("<redacted>") }
        : { argv: words, secretOnStdin: false },
    );
  }
  return commands;
}

/** Splits what bash's `printf %q` printed back into words (backslash escapes and quotes). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c === "\\") {
      word += line.charAt(++i);
      inWord = true;
    } else if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === " ") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The commands whose argv starts with `prefix` (e.g. ["gcloud", "run", "deploy"]). */
export function commandsStartingWith(run: DeployRun, ...prefix: string[]): PrintedCommand[] {
  return run.commands.filter((command) => prefix.every((word, i) => command.argv[i] === word));
}

/** `--name=value` flags of one command (repeated flags keep the last value). */
export function flagsOf(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const word of argv) {
    if (!word.startsWith("--")) continue;
    const eq = word.indexOf("=");
    if (eq < 0) flags.set(word.slice(2), "true");
    else flags.set(word.slice(2, eq), word.slice(eq + 1));
  }
  return flags;
}

/** `a=1,b=2` (gcloud's key=value lists) as a map. */
export function keyValues(list: string): Map<string, string> {
  return new Map(
    list.split(",").map((pair) => {
      const eq = pair.indexOf("=");
      return [pair.slice(0, eq), pair.slice(eq + 1)] as [string, string];
    }),
  );
}

/** The env-vars file deploy.sh printed for a service (`#   KEY: "value"` lines after its path). */
export function printedEnvVars(run: DeployRun, service: "bot" | "worker"): Map<string, string> {
  const lines = run.stdout.split("\n");
  const start = lines.findIndex(
    (line) => line.startsWith("# ") && line.endsWith(`/${service}.yaml:`),
  );
  if (start < 0) throw new Error(`no env-vars file printed for ${service}`);
  const vars = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    const match = /^# {3}([A-Z0-9_]+): "(.*)"$/.exec(line);
    if (!match) break;
    vars.set(match[1] as string, JSON.parse(`"${match[2]}"`) as string);
  }
  return vars;
}
