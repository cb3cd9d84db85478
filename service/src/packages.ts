/**
 * Which copy of a package the service loads. A bare `import(name)` from the service walks the
 * node_modules folders upward from its own location (service/node_modules in a cell, the repo root
 * in development); this module walks the same folders so that the version reported by /version is
 * the one actually loaded, not the one declared.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface InstalledPackage {
  name: string;
  version: string;
  /** Folder holding the package's package.json. */
  dir: string;
}

const requireHere = createRequire(import.meta.url);

export function findInstalled(name: string): InstalledPackage | undefined {
  for (const folder of requireHere.resolve.paths(name) ?? []) {
    const manifest = join(folder, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
    return { name, version: typeof pkg.version === 'string' ? pkg.version : 'unknown', dir: join(folder, name) };
  }
  return undefined;
}

/**
 * `{name: version}` for every declared dependency that is installed, in declaration order. A
 * package the service has already loaded is reported from that copy (`loaded`), the others from
 * where `import` would find them; one not installed is left out (a cell installs one tokenizer
 * library of those declared).
 */
export function dependencyVersions(
  declared: readonly string[],
  loaded: readonly InstalledPackage[],
  find: (name: string) => InstalledPackage | undefined = findInstalled,
): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of declared) {
    const pkg = loaded.find((p) => p.name === name) ?? find(name);
    if (pkg) versions[name] = pkg.version;
  }
  return versions;
}

/** The service's own package.json (dist/../package.json, src/../package.json under tests). */
export function serviceManifest(): { name: string; version: string; dependencies: Record<string, string> } {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
  return { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies ?? {} };
}

/**
 * package.json `tokenizerLibraries`: the tokenizer packages this service has an adapter for, in
 * order of preference, with the short name matrix cell names use. The one list of them: the
 * service loads from it (./tokenizers/index.ts) and the matrix planner plans from it. It lives in
 * package.json because that is the file every cell installs next to dist/.
 */
export function declaredTokenizerLibraries(): { package: string; alias: string }[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { tokenizerLibraries?: unknown };
  const list = pkg.tokenizerLibraries;
  if (!Array.isArray(list) || !list.every((l) => typeof l?.package === 'string' && typeof l?.alias === 'string')) {
    throw new Error('package.json: tokenizerLibraries: expected a list of {package, alias}');
  }
  return list as { package: string; alias: string }[];
}

/**
 * `import(name)` from the service's own location. The name is a variable so TypeScript does not
 * look for type declarations of packages that only some matrix cells install.
 */
// biome-ignore lint/suspicious/noExplicitAny: a package only some cells install, with no types at build time; callers check its shape
export function importPackage(name: string): Promise<any> {
  return import(name);
}
