#!/usr/bin/env node
// The `moviebot` command. Runs the compiled CLI when built (the container), else the TypeScript
// sources directly (Node 24 strips the types).
import { existsSync } from "node:fs";

const compiled = new URL("../dist/bot/cli/cli.js", import.meta.url);
const { runCli } = await import(existsSync(compiled) ? compiled.href : "../bot/cli/cli.ts");
await runCli(process.argv);
