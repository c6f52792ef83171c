#!/usr/bin/env node
// Tiny launcher: the only place that calls process.exit (design.md; examples.md "Startup").
import { run } from '../dist/cli.js';

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
