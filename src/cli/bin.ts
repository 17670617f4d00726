#!/usr/bin/env node
/** The `wink-widget` executable (package.json `bin`). */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
