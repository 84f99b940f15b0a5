import { createRequire } from "node:module";
import type MockModule from "@elastic/elasticsearch-mock";
import type { ElasticsearchClientSettings } from "../../core/adapters/elasticsearch/elasticsearch-client.ts";

// Both are CommonJS: the mock's typings declare a default export its module.exports does not have,
// and it recognises only the CommonJS build's error classes, so both are loaded through require.
const require = createRequire(import.meta.url);
export const Mock = require("@elastic/elasticsearch-mock") as typeof MockModule.default;
export type MockInstance = InstanceType<typeof Mock>;
export type MockParams = Parameters<Parameters<MockInstance["add"]>[1]>[0];
export const { errors } =
  require("@elastic/elasticsearch") as typeof import("@elastic/elasticsearch");

/**
 * The mock's connection class, typed as the ESM client expects: at runtime it only needs the
 * request() contract, but its CommonJS typings differ nominally from the ESM build's.
 */
export function mockConnection(mock: MockInstance): ElasticsearchClientSettings["Connection"] {
  return mock.getConnection() as unknown as ElasticsearchClientSettings["Connection"];
}
