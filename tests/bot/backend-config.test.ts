import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../bot/config.ts";

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("backend settings", () => {
  it("defaults to the embedded backends", () => {
    const config = loadConfig({});
    expect(config.RECOMMENDER_BACKEND).toBe("local");
    expect(config.SEARCH_BACKEND).toBe("local");
    expect(config.BIGQUERY_SERVE).toBe("remote");
    expect(config.BIGQUERY_MODEL).toBe("movie_mf");
    expect(config.ELASTICSEARCH_INDEX).toBe("movies");
  });

  it("names the missing variables when BigQuery is chosen without a project and dataset", () => {
    const message = problems({ RECOMMENDER_BACKEND: "bigquery" });
    expect(message).toContain(
      "BIGQUERY_PROJECT: BIGQUERY_PROJECT is required when RECOMMENDER_BACKEND=bigquery",
    );
    expect(message).toContain("BIGQUERY_DATASET");
  });

  it("accepts a complete BigQuery setup", () => {
    const config = loadConfig({
      RECOMMENDER_BACKEND: "bigquery",
      BIGQUERY_PROJECT: "my-project-123",
      BIGQUERY_DATASET: "movielens",
      BIGQUERY_SERVE: "local-weights",
      BIGQUERY_WEIGHTS_REFRESH_MINUTES: "60",
    });
    expect(config.BIGQUERY_WEIGHTS_REFRESH_MINUTES).toBe(60);
  });

  it("rejects dataset and model names that are not plain identifiers", () => {
    expect(problems({ BIGQUERY_DATASET: "movielens; DROP" })).toContain("BIGQUERY_DATASET");
    expect(problems({ BIGQUERY_MODEL: "my-model" })).toContain("BIGQUERY_MODEL");
  });

  it("needs a URL or a cloud id for Elasticsearch", () => {
    expect(problems({ SEARCH_BACKEND: "elasticsearch" })).toContain(
      "ELASTICSEARCH_URL or ELASTICSEARCH_CLOUD_ID is required when SEARCH_BACKEND=elasticsearch",
    );
    expect(
      loadConfig({ SEARCH_BACKEND: "elasticsearch", ELASTICSEARCH_CLOUD_ID: "deploy:abc" })
        .ELASTICSEARCH_CLOUD_ID,
    ).toBe("deploy:abc");
  });
});
