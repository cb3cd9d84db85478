#!/usr/bin/env node
// Thin launcher so `npx matrix` works from the compiled output; `npm install` builds it (prepare).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('matrix: dist/cli.js is missing: run `npm install` (or `npm run build`) in the project first');
  process.exit(2);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
// Exit explicitly: open Docker sockets or timers must not keep a finished run alive.
process.stdout.write('', () => process.exit(code));
