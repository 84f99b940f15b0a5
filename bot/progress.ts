import cliProgress from "cli-progress";

/** The callback ensureMovieLens (and loadMovieLens) report bytes through. */
export type OnProgress = (received: number, total: number | null) => void;

/** An OnProgress that can also be stopped early (a failed download), restoring the terminal. */
export type ProgressReporter = OnProgress & { stop(): void };

export interface ProgressOptions {
  /** Where the bar or the lines go (default: stderr, so stdout stays clean for --json). */
  stream?: NodeJS.WriteStream;
  /** Line sink when the stream is not a terminal (default: a line on the stream); pass a logger. */
  log?: (line: string) => void;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(1);

/**
 * A progress reporter for a byte transfer: a live bar on a terminal; in logs (containers, CI) a
 * line every 10 % (every 5 MB when the size is unknown), so a download neither floods the log
 * nor looks stuck.
 */
export function createProgress(label: string, options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY) return barProgress(label, stream);
  const log = options.log ?? ((line: string) => stream.write(`${line}\n`));
  let lastStep = -1;
  const onProgress: OnProgress = (received, total) => {
    const step = total
      ? Math.min(10, Math.floor((received / total) * 10))
      : Math.floor(received / (5 * MB));
    if (step <= lastStep) return;
    lastStep = step;
    log(
      total
        ? `${label}: ${Math.round((received / total) * 100)}% (${mb(received)} of ${mb(total)} MB)`
        : `${label}: ${mb(received)} MB`,
    );
  };
  return Object.assign(onProgress, { stop: () => {} });
}

function barProgress(label: string, stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {received} of {size} MB`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let finished = false;
  // The bar redraws on a timer and hides the cursor until stopped.
  const stop = () => {
    if (started && !finished) bar.stop();
    finished = true;
  };
  const onProgress: OnProgress = (received, total) => {
    if (finished) return;
    const size = total ?? Math.max(received, 1);
    const payload = { received: mb(received), size: total ? mb(total) : "?" };
    if (!started) {
      bar.start(size, received, payload);
      started = true;
    } else {
      bar.setTotal(size);
      bar.update(received, payload);
    }
    if (total && received >= total) stop();
  };
  return Object.assign(onProgress, { stop });
}
