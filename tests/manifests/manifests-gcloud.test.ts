import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT, runDeploy, scratchDir } from "../deploy/support/deploy-script.ts";
import { describeWith, requireCommand } from "../support/requirements.ts";

// Cloud Run's own check of a service manifest, run by the installed gcloud CLI: `gcloud run
// services replace --dry-run` reads the YAML into Cloud Run's Service message (an unknown or
// misspelt field, or a value of the wrong type, is refused there, "Failed to parse … in protobuf
// [Service]") and only then asks for credentials. With an empty configuration directory it has
// none, so "no active account" is how a manifest that passed every local check reads; nothing
// reaches Google.
const gcloud = requireCommand("gcloud");

const config = mkdtempSync(join(tmpdir(), "moviebot-gcloud-"));
afterAll(() => rmSync(config, { recursive: true, force: true }));

function validate(file: string): string {
  const result = spawnSync(
    "gcloud",
    ["run", "services", "replace", file, "--dry-run", "--region=europe-west4", "--project=acme"],
    {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        CLOUDSDK_CONFIG: config,
        CLOUDSDK_CORE_DISABLE_PROMPTS: "1",
      },
    },
  );
  return `${result.stdout}${result.stderr}`;
}

const PASSED = "You do not currently have an active account selected";

describeWith(gcloud)("Cloud Run manifests, checked by gcloud", () => {
  const rendered = scratchDir(
    ["DATABASE_URL=postgres://db", "SLACK_SIGNING_SECRET=s", "SLACK_BOT_TOKEN=t"].join("\n"),
  );
  afterAll(() => rmSync(rendered, { recursive: true, force: true }));
  const render = runDeploy(
    [
      "--project=acme",
      "--region=europe-west4",
      "--image=registry.example.test/acme/moviebot:v7",
      "--network=vpc-a",
      "--subnet=subnet-b",
      "--redis-url=redis://10.1.2.3:6379",
      "--render-manifests",
      join(rendered, "out"),
    ],
    { cwd: rendered },
  );

  const files = [
    ...["manifests", "manifests/cloud-backends"].flatMap((dir) =>
      ["bot", "worker"].map((role) => ({
        name: `${dir}/cloud-run-${role}.yaml`,
        file: join(REPO_ROOT, dir, `cloud-run-${role}.yaml`),
      })),
    ),
    ...["bot", "worker"].map((role) => ({
      name: `cloud-run-${role}.yaml as deploy.sh --render-manifests writes it`,
      file: join(rendered, "out", `cloud-run-${role}.yaml`),
    })),
  ];

  it.each(files)("$name is a Cloud Run Service gcloud accepts", ({ file }) => {
    expect(render.status).toBe(0);
    const output = validate(file);
    expect(output).not.toContain("Failed to parse");
    expect(output).toContain(PASSED);
  });

  it("refuses a manifest with a misspelt field or a value of the wrong type", () => {
    const good = readFileSync(join(REPO_ROOT, "manifests", "cloud-run-bot.yaml"), "utf8");
    const misspelt = join(rendered, "misspelt.yaml");
    writeFileSync(misspelt, good.replace("containerConcurrency:", "containerConcurency:"));
    expect(validate(misspelt)).toContain("Failed to parse");
    const wrongType = join(rendered, "wrong-type.yaml");
    writeFileSync(
      wrongType,
      good.replace(/containerConcurrency: \d+/, "containerConcurrency: lots"),
    );
    expect(validate(wrongType)).toMatch(/Expected type .*containerConcurrency/);
  });
});
