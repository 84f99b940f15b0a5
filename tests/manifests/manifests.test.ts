import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  commandsStartingWith,
  flagsOf,
  keyValues,
  printedEnvVars,
  REPO_ROOT,
  runDeploy,
  scratchDir,
} from "../deploy/support/deploy-script.ts";

/** The parts of a Knative Service that Cloud Run reads and these tests check. */
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}
interface Probe {
  httpGet: { path: string; port: number };
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}
interface KnativeService {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        containerConcurrency: number;
        timeoutSeconds: number;
        serviceAccountName: string;
        containers: {
          image: string;
          command?: string[];
          args?: string[];
          ports: { containerPort: number }[];
          resources: { limits: { cpu: string; memory: string } };
          env: EnvVar[];
          startupProbe: Probe;
          livenessProbe: Probe;
        }[];
      };
    };
  };
}

/** `${NAME}`, as the manifests write their placeholders. */
const placeholder = (name: string) => `\${${name}}`;

const read = (dir: string, role: "bot" | "worker") =>
  parse(readFileSync(join(dir, `cloud-run-${role}.yaml`), "utf8")) as KnativeService;
const container = (service: KnativeService) => {
  const first = service.spec.template.spec.containers[0];
  if (!first) throw new Error("no container");
  return first;
};
const secretRefs = (service: KnativeService) =>
  new Map(
    container(service)
      .env.filter((e) => e.valueFrom)
      .map((e) => [e.name, `${e.valueFrom?.secretKeyRef.name}:${e.valueFrom?.secretKeyRef.key}`]),
  );
const plainEnv = (service: KnativeService) =>
  new Map(
    container(service)
      .env.filter((e) => e.value !== undefined)
      .map((e) => [e.name, e.value]),
  );

/** The default (embedded search and recommender) and the Elasticsearch + BigQuery variant. */
const VARIANTS = [
  { name: "embedded", dir: "manifests" },
  { name: "cloud backends", dir: "manifests/cloud-backends" },
] as const;

describe.each(VARIANTS)("$dir/cloud-run-*.yaml as written", ({ dir }) => {
  const manifests = join(REPO_ROOT, dir);
  for (const role of ["bot", "worker"] as const) {
    it(`${role}: a Knative Service with the fields Cloud Run needs`, () => {
      const service = read(manifests, role);
      expect(service.apiVersion).toBe("serving.knative.dev/v1");
      expect(service.kind).toBe("Service");
      expect(service.metadata.name).toBe(
        role === "bot" ? placeholder("BOT_SERVICE") : placeholder("WORKER_SERVICE"),
      );
      expect(service.metadata.labels["cloud.googleapis.com/location"]).toBe(placeholder("REGION"));
      const annotations = service.spec.template.metadata.annotations;
      expect(annotations["autoscaling.knative.dev/minScale"]).toBe(role === "bot" ? "0" : "1");
      expect(annotations["autoscaling.knative.dev/maxScale"]).toMatch(/^\d+$/);
      expect(annotations["run.googleapis.com/cpu-throttling"]).toBe(
        role === "bot" ? "true" : "false",
      );
      expect(annotations["run.googleapis.com/vpc-access-egress"]).toBe("private-ranges-only");
      const interfaces = JSON.parse(annotations["run.googleapis.com/network-interfaces"] ?? "[]");
      expect(interfaces).toEqual([
        { network: placeholder("NETWORK"), subnetwork: placeholder("SUBNET") },
      ]);
      const spec = service.spec.template.spec;
      expect(spec.containerConcurrency).toBe(80);
      expect(spec.serviceAccountName).toBe(placeholder("SERVICE_ACCOUNT"));
      const main = container(service);
      expect(main.image).toBe(placeholder("IMAGE"));
      expect(main.startupProbe.httpGet.path).toBe("/healthz");
      expect(
        main.startupProbe.periodSeconds * main.startupProbe.failureThreshold,
      ).toBeLessThanOrEqual(600);
      expect(main.livenessProbe.httpGet.path).toBe("/healthz");
      expect(plainEnv(service).get("REDIS_URL")).toBe(placeholder("REDIS_URL"));
      expect(plainEnv(service).get("RUN_WORKER")).toBe(role === "bot" ? "false" : "true");
      expect(plainEnv(service).get("TRUST_PROXY_HOPS")).toBe("1");
      for (const ref of secretRefs(service).values())
        expect(ref).toMatch(/^\$\{SECRET_PREFIX\}[a-z-]+:latest$/);
      expect(secretRefs(service).has("SLACK_SIGNING_SECRET")).toBe(true);
      if (role === "worker") {
        expect(main.command).toEqual(["node"]);
        expect(main.args).toEqual(["dist/bot/worker.js"]);
      } else {
        expect(main.command).toBeUndefined();
        expect(service.metadata.annotations["run.googleapis.com/ingress"]).toBe("all");
      }
    });
  }
});

describe("the embedded manifests need no cloud backend", () => {
  it("set no Elasticsearch or BigQuery variable, so the container's own search and recommender serve", () => {
    for (const role of ["bot", "worker"] as const) {
      const service = read(join(REPO_ROOT, "manifests"), role);
      const names = container(service).env.map((e) => e.name);
      expect(names.filter((n) => /^(ELASTICSEARCH|BIGQUERY)_|_BACKEND$/.test(n))).toEqual([]);
    }
    const cloud = read(join(REPO_ROOT, "manifests/cloud-backends"), "bot");
    expect(plainEnv(cloud).get("SEARCH_BACKEND")).toBe("elasticsearch");
    expect(plainEnv(cloud).get("RECOMMENDER_BACKEND")).toBe("bigquery");
  });
});

describe.each(VARIANTS)("$name manifests and deploy.sh agree", ({ name: variant, dir }) => {
  const args = [
    "--project=acme",
    "--region=europe-west4",
    "--image=registry.example.test/acme/moviebot:v7",
    "--network=vpc-a",
    "--subnet=subnet-b",
    "--redis-url=redis://10.1.2.3:6379",
    "--bot-service=films",
    "--worker-service=films-worker",
    "--secret-prefix=films-",
  ];
  // An env file with exactly the secrets the manifests mount.
  const template = read(join(REPO_ROOT, dir), "bot");
  const envFile = [
    ...(variant === "cloud backends"
      ? [
          "BIGQUERY_DATASET=recs",
          "BIGQUERY_LOCATION=EU",
          "SEARCH_BACKEND=elasticsearch",
          "RECOMMENDER_BACKEND=bigquery",
        ]
      : []),
    // deploy.sh accepts only a PostgreSQL member database.
    ...[...secretRefs(template).keys()].map((name) =>
      name === "DATABASE_URL" ? `${name}=postgres://value-of-${name}` : `${name}=value-of-${name}`,
    ),
  ].join("\n");
  const cwd = scratchDir(envFile);
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const rendered = runDeploy([...args, "--render-manifests", join(cwd, "out")], { cwd });
  const dryRun = runDeploy([...args, "--dry-run", "--skip-build"], { cwd });

  it("renders every placeholder", () => {
    expect(rendered.status).toBe(0);
    for (const role of ["bot", "worker"]) {
      const text = readFileSync(join(cwd, "out", `cloud-run-${role}.yaml`), "utf8");
      expect(text).not.toContain("${");
    }
  });

  for (const [role, name] of [
    ["bot", "films"],
    ["worker", "films-worker"],
  ] as const) {
    it(`${role}: same image, scaling, billing, network, probes, identity, secrets and env`, () => {
      const service = read(join(cwd, "out"), role);
      const deploys = commandsStartingWith(dryRun, "gcloud", "run", "deploy", name);
      expect(deploys).toHaveLength(1);
      const flags = flagsOf(deploys[0]?.argv ?? []);
      const annotations = service.spec.template.metadata.annotations;
      const spec = service.spec.template.spec;
      const main = container(service);

      expect(service.metadata.name).toBe(name);
      expect(service.metadata.namespace).toBe(flags.get("project"));
      expect(service.metadata.labels["cloud.googleapis.com/location"]).toBe(flags.get("region"));
      expect(service.metadata.annotations["run.googleapis.com/ingress"]).toBe(flags.get("ingress"));
      expect(main.image).toBe(flags.get("image"));
      expect(String(spec.containerConcurrency)).toBe(flags.get("concurrency"));
      expect(String(spec.timeoutSeconds)).toBe(flags.get("timeout"));
      expect(spec.serviceAccountName).toBe(flags.get("service-account"));
      expect(main.resources.limits).toEqual({ cpu: flags.get("cpu"), memory: flags.get("memory") });
      expect(annotations["autoscaling.knative.dev/minScale"]).toBe(flags.get("min-instances"));
      expect(annotations["autoscaling.knative.dev/maxScale"]).toBe(flags.get("max-instances"));
      expect(annotations["run.googleapis.com/cpu-throttling"]).toBe(
        flags.has("no-cpu-throttling") ? "false" : "true",
      );
      expect(annotations["run.googleapis.com/startup-cpu-boost"]).toBe(flags.get("cpu-boost"));
      expect(annotations["run.googleapis.com/vpc-access-egress"]).toBe(flags.get("vpc-egress"));
      expect(JSON.parse(annotations["run.googleapis.com/network-interfaces"] ?? "")).toEqual([
        { network: flags.get("network"), subnetwork: flags.get("subnet") },
      ]);
      expect(main.command?.join(",")).toBe(flags.get("command"));
      expect(main.args?.join(",")).toBe(flags.get("args"));

      for (const [kind, probe] of [
        ["startup-probe", main.startupProbe],
        ["liveness-probe", main.livenessProbe],
      ] as const) {
        const expected = keyValues(flags.get(kind) ?? "");
        expect(probe.httpGet.path).toBe(expected.get("httpGet.path"));
        for (const field of ["periodSeconds", "timeoutSeconds", "failureThreshold"] as const) {
          expect(String(probe[field]), `${kind} ${field}`).toBe(expected.get(field));
        }
      }

      expect(secretRefs(service)).toEqual(keyValues(flags.get("set-secrets") ?? ""));
      const env = printedEnvVars(dryRun, role);
      for (const [key, value] of plainEnv(service)) expect(env.get(key), key).toBe(value);
      expect(new Set(plainEnv(service).keys())).toEqual(new Set(env.keys()));
    });
  }
});
