import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { parse } from "csv-parse";
import Papa from "papaparse";
import { MoviebotError } from "../../errors.ts";

/** Thrown for a malformed data file; names the file and the line so it can be fixed. */
export class DataFileError extends MoviebotError {
  constructor(file: string, line: number, problem: string) {
    super("data_malformed", `${basename(file)}, line ${line}: ${problem}`);
    this.name = "DataFileError";
  }
}

export interface CsvRow {
  /** 1-based line number in the file, for error messages. */
  line: number;
  fields: string[];
}

/**
 * Streams a CSV file's rows after checking its header against the expected columns. csv-parse does
 * the quoting rules ("City of Lost Children, The (…)" has commas inside quotes).
 */
export async function* readCsv(
  file: string,
  expectedHeader: readonly string[],
  onBytes?: (bytes: number) => void,
): AsyncGenerator<CsvRow> {
  const stream = createReadStream(file);
  if (onBytes) stream.on("data", (chunk) => onBytes(chunk.length));
  const parser = stream.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }),
  );
  let header = true;
  try {
    for await (const record of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record: fields, info } = record;
      if (header) {
        header = false;
        const got = fields.map((f) => f.trim());
        if (expectedHeader.some((name, i) => got[i] !== name)) {
          throw new DataFileError(
            file,
            info.lines,
            `expected columns ${expectedHeader.join(",")}, found ${got.join(",")}`,
          );
        }
        continue;
      }
      if (fields.length < expectedHeader.length) {
        throw new DataFileError(
          file,
          info.lines,
          `expected ${expectedHeader.length} fields, found ${fields.length}`,
        );
      }
      yield { line: info.lines, fields };
    }
  } catch (error) {
    if (error instanceof DataFileError) throw error;
    const line = (error as { lines?: number }).lines ?? 0;
    throw new DataFileError(file, line, (error as Error).message);
  } finally {
    stream.destroy();
  }
  if (header) throw new DataFileError(file, 1, "the file is empty");
}

export function parseIntField(file: string, row: CsvRow, index: number, name: string): number {
  const text = row.fields[index] ?? "";
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value)) {
    throw new DataFileError(file, row.line, `${name} must be a whole number, found "${text}"`);
  }
  return value;
}

/**
 * Reads a purely numeric CSV file (ratings.csv: no quotes, no embedded newlines) a batch of rows at
 * a time. papaparse's fastMode splits lines and commas without quote handling, which parses 25M
 * ratings about three times faster than csv-parse; the quoted movies and links files keep readCsv.
 * Without quotes one row is one line, so line numbers are counted here.
 *
 * `onRows(rows, from, firstLine)`: the rows to read are rows[from..], row i sits on line
 * firstLine + i, and rows that are [""] are blank lines to skip. Throwing from it aborts the read.
 */
export function readNumericCsv(
  file: string,
  expectedHeader: readonly string[],
  onRows: (rows: readonly string[][], from: number, firstLine: number) => void,
  onBytes?: (bytes: number) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
    if (onBytes) stream.on("data", (chunk) => onBytes(Buffer.byteLength(chunk)));
    let nextLine = 1;
    let failure: DataFileError | undefined;
    const fail = (error: unknown) => {
      failure ??=
        error instanceof DataFileError
          ? error
          : new DataFileError(
              file,
              nextLine,
              error instanceof Error ? error.message : String(error),
            );
    };
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      stream.destroy();
      if (failure) reject(failure);
      else if (nextLine === 1) reject(new DataFileError(file, 1, "the file is empty"));
      else resolve();
    };
    stream.on("error", (error) => {
      fail(error);
      settle();
    });
    Papa.parse<string[]>(stream, {
      fastMode: true,
      // Blank lines stay in, as [""], so a row's index gives its line.
      skipEmptyLines: false,
      chunk: (results, parser) => {
        try {
          const rows = results.data;
          const firstLine = nextLine;
          const from = firstLine === 1 ? checkHeader(file, rows[0], expectedHeader) : 0;
          nextLine += rows.length;
          for (let i = from; i < rows.length; i++) {
            const fields = rows[i] as string[];
            if (
              fields.length < expectedHeader.length &&
              !(fields.length === 1 && fields[0] === "")
            ) {
              throw new DataFileError(
                file,
                firstLine + i,
                `expected ${expectedHeader.length} fields, found ${fields.length}`,
              );
            }
          }
          onRows(rows, from, firstLine);
        } catch (error) {
          fail(error);
          parser.abort();
        }
      },
      complete: settle,
      error: (error) => {
        fail(error);
        settle();
      },
    });
  });
}

/** Checks the header row; returns 1, the index of the first data row. */
function checkHeader(
  file: string,
  header: string[] | undefined,
  expectedHeader: readonly string[],
): number {
  const got = (header ?? []).map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, "") : f).trim());
  if (got.length <= 1 && !got[0]) throw new DataFileError(file, 1, "the file is empty");
  if (expectedHeader.some((name, i) => got[i] !== name)) {
    throw new DataFileError(
      file,
      1,
      `expected columns ${expectedHeader.join(",")}, found ${got.join(",")}`,
    );
  }
  return 1;
}
