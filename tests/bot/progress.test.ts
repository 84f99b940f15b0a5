import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgress } from "../../bot/progress.ts";

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  Object.assign(stream, { isTTY, columns: 100, text: () => chunks.join("") });
  return stream;
}

describe("download progress", () => {
  it("logs a line per 10% when the output is not a terminal", () => {
    const lines: string[] = [];
    const onProgress = createProgress("MovieLens", {
      stream: fakeStream(false),
      log: (l) => lines.push(l),
    });
    const total = 3 * 1024 * 1024;
    for (let received = 1024; received <= total; received += 1024) onProgress(received, total);
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("MovieLens: 0% (0.0 of 3.0 MB)");
    expect(lines.at(-1)).toBe("MovieLens: 100% (3.0 of 3.0 MB)");
  });

  it("logs every 5 MB when the size is unknown", () => {
    const lines: string[] = [];
    const onProgress = createProgress("MovieLens", {
      stream: fakeStream(false),
      log: (l) => lines.push(l),
    });
    for (let mb = 1; mb <= 12; mb++) onProgress(mb * 1024 * 1024, null);
    expect(lines).toEqual(["MovieLens: 1.0 MB", "MovieLens: 5.0 MB", "MovieLens: 10.0 MB"]);
  });

  it("draws a bar on a terminal, finishing at 100%", () => {
    const stream = fakeStream(true);
    const onProgress = createProgress("MovieLens", {
      stream,
      log: () => expect.fail("no log lines on a terminal"),
    });
    for (let received = 0; received <= 1000; received += 100) onProgress(received, 1000);
    expect(stream.text()).toContain("MovieLens [");
    expect(stream.text()).toContain("100%");
  });

  it("can be stopped before the end, and then stays quiet", () => {
    const stream = fakeStream(true);
    const onProgress = createProgress("MovieLens", { stream });
    onProgress(100, 1000);
    onProgress.stop();
    const drawn = stream.text();
    onProgress(900, 1000);
    expect(stream.text()).toBe(drawn);
  });
});
