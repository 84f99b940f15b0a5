import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { parse } from "csv-parse";
import { MoviebotError } from "../errors.ts";

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
