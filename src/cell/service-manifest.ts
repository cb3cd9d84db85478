/**
 * What the planner reads of the service beside this tool: service/package.json, read once (service/
 * is its own package, so this is data, not an import of its sources).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths.js';

const file = path.join(projectRoot(), 'service', 'package.json');
const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; tokenizerLibraries?: unknown };

/**
 * The tokenizer libraries the service has an adapter for, with the short names cell names use:
 * `tokenizerLibraries`, the one list the service loads from and the planner plans from.
 */
export const TOKENIZER_LIBRARIES: readonly { package: string; alias: string }[] = (() => {
  const list = manifest.tokenizerLibraries;
  if (!Array.isArray(list) || !list.every((l: { package?: unknown; alias?: unknown }) => typeof l?.package === 'string' && typeof l.alias === 'string')) {
    throw new Error(`${file}: tokenizerLibraries: expected a list of {package, alias}`);
  }
  return list as { package: string; alias: string }[];
})();

/** The service's declared dependencies (name → range). */
export const SERVICE_DEPENDENCIES: Readonly<Record<string, string>> = manifest.dependencies ?? {};
