/** Reading /version's `packages` ({name: version as loaded}), shared by the package kinds. */

/** The version the service loads of `name`; `not installed` when it reports packages but not this one; undefined when it reports none. */
export function loadedVersion(version: unknown, name: string): string | undefined {
  const packages = loadedPackages(version);
  if (!packages) return undefined;
  const v = packages[name];
  return typeof v === 'string' ? v : 'not installed';
}

export function loadedPackages(version: unknown): Record<string, unknown> | undefined {
  const packages = (version as { packages?: unknown } | undefined)?.packages;
  return packages && typeof packages === 'object' ? (packages as Record<string, unknown>) : undefined;
}
