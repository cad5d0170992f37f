#!/usr/bin/env node
// The CLI ships as a bundle built by `npm run build` (run automatically by `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'nixstrap: the CLI has not been built yet.\n  hint: run `npm run build` in the Nixstrap folder.\n',
  );
  process.exit(1);
}
await import(entry.href);
