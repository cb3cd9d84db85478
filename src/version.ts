import { readFileSync } from 'node:fs';

/** The tool's own version, from package.json (one source of truth). */
export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
