/**
 * Which copy of a package the service loads. A bare `import(name)` from the service walks the
 * node_modules folders upward from its own location (service/node_modules in a cell, the repo root
 * in development); this module walks the same folders so that the version reported by /version is
 * the one actually loaded, not the one declared.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
const requireHere = createRequire(import.meta.url);
export function findInstalled(name) {
    for (const folder of requireHere.resolve.paths(name) ?? []) {
        const manifest = join(folder, name, 'package.json');
        if (!existsSync(manifest))
            continue;
        const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
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
export function dependencyVersions(declared, loaded, find = findInstalled) {
    const versions = {};
    for (const name of declared) {
        const pkg = loaded.find((p) => p.name === name) ?? find(name);
        if (pkg)
            versions[name] = pkg.version;
    }
    return versions;
}
/** The service's own package.json (dist/../package.json, src/../package.json under tests). */
export function serviceManifest() {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    return { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies ?? {} };
}
/**
 * package.json `tokenizerLibraries`: the tokenizer packages this service has an adapter for, in
 * order of preference, with the short name matrix cell names use. The one list of them: the
 * service loads from it (./tokenizers/index.ts) and the matrix planner plans from it. It lives in
 * package.json because that is the file every cell installs next to dist/.
 */
export function declaredTokenizerLibraries() {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const list = pkg.tokenizerLibraries;
    if (!Array.isArray(list) || !list.every((l) => typeof l?.package === 'string' && typeof l?.alias === 'string')) {
        throw new Error('package.json: tokenizerLibraries: expected a list of {package, alias}');
    }
    return list;
}
/**
 * `import(name)` from the service's own location. The name is a variable so TypeScript does not
 * look for type declarations of packages that only some matrix cells install.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function importPackage(name) {
    return import(name);
}
