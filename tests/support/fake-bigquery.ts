import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createBigQueryClient } from "../../core/adapters/bigquery/bigquery-client.ts";

/** A field of a BigQuery result schema, as the REST API describes it. */
export interface Field {
  name: string;
  type: "INTEGER" | "FLOAT" | "STRING" | "BOOLEAN" | "RECORD";
  mode?: "NULLABLE" | "REPEATED";
  fields?: Field[];
}

/** What the stand-in answers for one jobs.query call. */
/** The schema of an ML.WEIGHTS export of a matrix_factorization model, as BigQuery returns it. */
export const ML_WEIGHTS_FIELDS: Field[] = [
  { name: "processed_input", type: "STRING" },
  { name: "feature", type: "STRING" },
  {
    name: "factor_weights",
    type: "RECORD",
    mode: "REPEATED",
    fields: [
      { name: "factor", type: "INTEGER" },
      { name: "weight", type: "FLOAT" },
    ],
  },
  { name: "intercept", type: "FLOAT" },
];

export type Answer =
  | { fields: Field[]; rows: Record<string, unknown>[] }
  | { status: number; reason: string; message: string }
  | { jobComplete: false }
  | { hang: true };

/** One jobs.query request body as BigQuery receives it. */
export interface RecordedQuery {
  query: string;
  queryParameters?: {
    name: string;
    parameterType: { type: string; arrayType?: { type: string } };
    parameterValue: { value?: string | number; arrayValues?: { value: string | number }[] };
  }[];
  labels?: Record<string, string>;
  timeoutMs?: number;
  /** Set when the query went through jobs.insert (a server-side job limit forces that path). */
  jobTimeoutMs?: string | number;
  location?: string;
  useLegacySql?: boolean;
  authorization?: string;
}

/** One load job sent through the upload endpoint: its configuration and the bytes of the file. */
export interface RecordedUpload {
  load: {
    destinationTable: { projectId: string; datasetId: string; tableId: string };
    sourceFormat?: string;
    skipLeadingRows?: number;
    writeDisposition?: string;
  };
  bytes: number;
  /** The file as text (the uploads are CSV). */
  text: string;
}

/**
 * A local server speaking the slice of BigQuery's REST API the client uses for a query: jobs.query
 * (POST /bigquery/v2/projects/{p}/queries) answering schema + rows in the f/v encoding. It records
 * every request so tests can check the SQL and that values travelled as parameters.
 */
export class FakeBigQuery {
  readonly queries: RecordedQuery[] = [];
  readonly uploads: RecordedUpload[] = [];
  answer: (query: RecordedQuery) => Answer = () => ({ fields: [], rows: [] });
  private readonly server: Server;
  private readonly hanging: ServerResponse[] = [];

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeBigQuery> {
    const fake = new FakeBigQuery();
    fake.server.listen(0, "127.0.0.1");
    await once(fake.server, "listening");
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A client as production builds it, pointed here, with a fixed bearer token instead of ADC. */
  client(options: { maxRetries?: number } = {}) {
    return createBigQueryClient({
      projectId: "test-project",
      location: "EU",
      apiEndpoint: this.url,
      ...options,
      // The client accepts any object with getRequestHeaders; this one skips ADC discovery.
      authClient: {
        getRequestHeaders: async () => new Headers({ authorization: "Bearer test-token" }),
      } as never,
    });
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, "close");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const path = new URL(req.url ?? "/", this.url).pathname;
    const route = `${req.method} ${path.replace(/\/projects\/[^/]+/, "/projects/P")}`;
    const jobId = path.split("/").at(-1) ?? "";
    const jobReference = (id: string) => ({ projectId: "test-project", jobId: id, location: "EU" });

    if (route === "POST /bigquery/v2/projects/P/queries") {
      const body = JSON.parse(raw.toString("utf8")) as RecordedQuery;
      return this.answerQuery(res, { ...body, authorization: req.headers.authorization ?? "" });
    }
    if (route === "POST /bigquery/v2/projects/P/jobs") {
      // jobs.insert: the query lives in configuration.query; results are fetched afterwards.
      const job = JSON.parse(raw.toString("utf8")) as {
        jobReference: { jobId: string };
        configuration: {
          query: RecordedQuery;
          labels?: Record<string, string>;
          jobTimeoutMs?: string;
        };
      };
      const recorded: RecordedQuery = {
        ...job.configuration.query,
        authorization: req.headers.authorization ?? "",
      };
      if (job.configuration.labels) recorded.labels = job.configuration.labels;
      if (job.configuration.jobTimeoutMs) recorded.jobTimeoutMs = job.configuration.jobTimeoutMs;
      this.queries.push(recorded);
      return send(res, 200, {
        kind: "bigquery#job",
        jobReference: jobReference(job.jobReference.jobId),
        status: { state: "DONE" },
      });
    }
    if (route.startsWith("GET /bigquery/v2/projects/P/queries/")) {
      return send(res, 200, {
        kind: "bigquery#getQueryResultsResponse",
        jobReference: jobReference(jobId),
        schema: { fields: [] },
        totalRows: "0",
        jobComplete: true,
      });
    }
    if (route.startsWith("GET /bigquery/v2/projects/P/jobs/")) {
      return send(res, 200, {
        kind: "bigquery#job",
        jobReference: jobReference(jobId),
        status: { state: "DONE" },
      });
    }
    if (route === "POST /upload/bigquery/v2/projects/P/jobs") {
      const { metadata, data } = parseMultipart(raw, req.headers["content-type"] ?? "");
      const job = JSON.parse(metadata) as {
        jobReference: { jobId: string };
        configuration: RecordedUpload;
      };
      this.uploads.push({
        load: job.configuration.load,
        bytes: data.length,
        text: data.toString("utf8"),
      });
      return send(res, 200, {
        kind: "bigquery#job",
        jobReference: jobReference(job.jobReference.jobId),
        configuration: job.configuration,
        status: { state: "RUNNING" },
      });
    }
    return send(res, 404, { error: { code: 404, message: `no route ${route}` } });
  }

  private answerQuery(res: ServerResponse, recorded: RecordedQuery): void {
    this.queries.push(recorded);
    const answer = this.answer(recorded);
    if ("hang" in answer) {
      this.hanging.push(res);
      return;
    }
    const jobReference = {
      projectId: "test-project",
      jobId: `job_${this.queries.length}`,
      location: "EU",
    };
    if ("status" in answer) {
      send(res, answer.status, {
        error: {
          code: answer.status,
          message: answer.message,
          errors: [{ reason: answer.reason, message: answer.message, domain: "global" }],
          status: answer.reason,
        },
      });
      return;
    }
    if ("jobComplete" in answer) {
      send(res, 200, { kind: "bigquery#queryResponse", jobReference, jobComplete: false });
      return;
    }
    send(res, 200, {
      kind: "bigquery#queryResponse",
      schema: { fields: answer.fields },
      jobReference,
      totalRows: String(answer.rows.length),
      rows: answer.rows.map((row) => encodeRow(answer.fields, row)),
      totalBytesProcessed: "1024",
      jobComplete: true,
      cacheHit: false,
    });
  }
}

/** A multipart/related upload: a JSON part (the job) and the file's bytes. */
function parseMultipart(body: Buffer, contentType: string): { metadata: string; data: Buffer } {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  const parts: Buffer[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    // Each part ends with the CRLF that precedes the next delimiter.
    parts.push(part.subarray(headerEnd + 4, part.length - 2));
    start = next;
  }
  return {
    metadata: (parts[0] ?? Buffer.alloc(0)).toString("utf8"),
    data: parts[1] ?? Buffer.alloc(0),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify(body));
}

/** BigQuery's wire format: every row is {f: [{v}]}, scalars as strings, arrays as [{v}], records as {f}. */
function encodeRow(fields: Field[], row: Record<string, unknown>): { f: { v: unknown }[] } {
  return { f: fields.map((field) => ({ v: encodeValue(field, row[field.name]) })) };
}

function encodeValue(field: Field, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.mode === "REPEATED") {
    return (value as unknown[]).map((item) => ({
      v: encodeValue({ ...field, mode: "NULLABLE" }, item),
    }));
  }
  if (field.type === "RECORD")
    return encodeRow(field.fields ?? [], value as Record<string, unknown>);
  return String(value);
}

/** The parameters of a recorded query by name, decoded ("INT64" arrays → numbers). */
export function parametersOf(
  query: RecordedQuery,
): Record<string, { type: string; value: unknown }> {
  const out: Record<string, { type: string; value: unknown }> = {};
  for (const p of query.queryParameters ?? []) {
    const type = p.parameterType.arrayType
      ? `ARRAY<${p.parameterType.arrayType.type}>`
      : p.parameterType.type;
    // BigQuery reads parameter values as strings; the client sends scalars as JSON numbers.
    const value = p.parameterValue.arrayValues
      ? p.parameterValue.arrayValues.map((v) => String(v.value))
      : String(p.parameterValue.value);
    out[p.name] = { type, value };
  }
  return out;
}
