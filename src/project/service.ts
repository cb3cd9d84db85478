/**
 * The one service folder of a project, `<folder of matrix.yaml>/service`: the planner plans from
 * its package.json and the runner installs and starts what is in it. Read when a command asks.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceFacts } from '../axes/types.js';
import type { ServiceManifest } from '../cell/workspace.js';
import { UserError } from '../errors.js';

export interface Service {
  manifest: ServiceManifest;
  facts: ServiceFacts;
}

export async function readService(serviceDir: string): Promise<Service> {
  const file = path.join(serviceDir, 'package.json');
  const shown = path.relative(process.cwd(), file) || file;
  let manifest: ServiceManifest;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as ServiceManifest;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'missing (the service under test lives in service/ beside matrix.yaml)' : `not JSON (${e.message.split('\n')[0]})`;
    throw new UserError(`${shown}: ${why}`);
  }
  return { manifest, facts: serviceFacts(manifest, shown) };
}

/**
 * What the planner needs of the service: `tokenizerLibraries`, the one list the service loads
 * from and the planner plans from (with the short names cell names use), and its dependencies.
 */
export function serviceFacts(manifest: ServiceManifest, shown: string): ServiceFacts {
  const list = manifest.tokenizerLibraries ?? [];
  if (!Array.isArray(list) || !list.every((l: { package?: unknown; alias?: unknown }) => typeof l?.package === 'string' && typeof l.alias === 'string')) {
    throw new UserError(`${shown}: tokenizerLibraries: expected a list of {package, alias}`);
  }
  return { tokenizerLibraries: list as ServiceFacts['tokenizerLibraries'], dependencies: manifest.dependencies ?? {} };
}

/** Cells run the compiled service: a missing build is the user's to fix before anything starts. */
export async function serviceBuilt(serviceDir: string): Promise<void> {
  await access(path.join(serviceDir, 'dist', 'server.js')).catch(() => {
    throw new UserError(`${path.relative(process.cwd(), serviceDir)}/dist/server.js is missing: run \`npm run build\` first`);
  });
}
