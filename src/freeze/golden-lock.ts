/**
 * golden.lock.json: everything needed to rebuild and to check the golden cell. Built by a pure
 * function with a fixed key order (records sorted by key), and nothing in it depends on the
 * clock, so freezing the same report twice writes the same bytes. Documented in docs/reports.md.
 */
import { z } from 'zod';
import type { CellResult, RunReport } from '../domain.js';
import { UserError } from '../errors.js';
import type { Policy } from './policy.js';

export const LOCK_VERSION = 1;

const TreeEntry = z.object({
  version: z.string().optional(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  link: z.boolean().optional(),
  dev: z.boolean().optional(),
  optional: z.boolean().optional(),
});
export type TreeEntry = z.infer<typeof TreeEntry>;

export const GoldenLock = z.object({
  lockVersion: z.literal(LOCK_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  report: z.object({
    runId: z.string(),
    createdAt: z.string(),
    backend: z.string(),
    config: z.object({ file: z.string(), sha256: z.string() }),
  }),
  selection: z.object({ policy: z.enum(['newest', 'oldest', 'current']), explanation: z.array(z.string()) }),
  cell: z.object({ id: z.string(), name: z.string() }),
  node: z.string(),
  'onnxruntime-node': z.string(),
  tokenizer: z.object({ package: z.string(), version: z.string(), alias: z.string() }),
  /** The service's direct dependencies, pinned exactly: what service/package.json must say. */
  pins: z.object({ dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()).optional() }),
  image: z
    .object({ id: z.string(), tag: z.string(), digest: z.string().optional(), labels: z.record(z.string(), z.string()) })
    .optional(),
  hashes: z.object({ model: z.string(), cases: z.string(), template: z.string(), service: z.string() }),
  /** Every installed package of the cell, keyed by its package-lock path (node_modules/…). */
  tree: z.record(z.string(), TreeEntry),
});
export type GoldenLock = z.infer<typeof GoldenLock>;

/** The slice of an npm lockfile (v2/v3) we read. */
export interface NpmLockfile {
  name?: string;
  version?: string;
  lockfileVersion?: number;
  packages?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function asLockfile(value: unknown, where: string): NpmLockfile & { packages: Record<string, Record<string, unknown>> } {
  const lock = value as NpmLockfile | null;
  if (!lock || typeof lock !== 'object' || !lock.packages || typeof lock.packages !== 'object') {
    throw new UserError(`${where}: not an npm lockfile with "packages" (lockfileVersion 2 or 3 is needed)`);
  }
  return lock as NpmLockfile & { packages: Record<string, Record<string, unknown>> };
}

function pinsOf(names: unknown, packages: Record<string, Record<string, unknown>>, where: string): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const name of Object.keys((names as Record<string, string> | undefined) ?? {})) {
    const version = packages[`node_modules/${name}`]?.version;
    if (typeof version !== 'string') throw new UserError(`${where}: direct dependency ${name} has no node_modules/${name} entry`);
    pins[name] = version;
  }
  return sortedRecord(pins);
}

export function treeOf(packages: Record<string, Record<string, unknown>>): Record<string, TreeEntry> {
  const tree: Record<string, TreeEntry> = {};
  for (const [key, entry] of Object.entries(packages)) {
    if (key === '') continue;
    const e: TreeEntry = {};
    if (typeof entry.version === 'string') e.version = entry.version;
    if (typeof entry.resolved === 'string') e.resolved = entry.resolved;
    if (typeof entry.integrity === 'string') e.integrity = entry.integrity;
    if (entry.link === true) e.link = true;
    if (entry.dev === true) e.dev = true;
    if (entry.optional === true) e.optional = true;
    tree[key] = e;
  }
  return sortedRecord(tree);
}

export interface GoldenInput {
  report: RunReport;
  result: CellResult;
  policy: Policy;
  explanation: string[];
  tool: { name: string; version: string };
}

export function buildGoldenLock({ report, result, policy, explanation, tool }: GoldenInput): GoldenLock {
  const where = `cell ${result.cell.name}`;
  const lockfile = asLockfile(result.lockfile, `${where} lockfile`);
  const root = lockfile.packages[''] ?? {};
  const dependencies = pinsOf(root.dependencies, lockfile.packages, where);
  const devDependencies = pinsOf(root.devDependencies, lockfile.packages, where);
  const versions = result.actual ?? result.expected;
  for (const [name, version] of [
    ['onnxruntime-node', versions.ort],
    [versions.tokenizer.package, versions.tokenizer.version],
  ] as const) {
    if (dependencies[name] !== version) {
      throw new UserError(`${where}: its lockfile pins ${name} ${dependencies[name] ?? '(nothing)'} but the cell ran ${version}`);
    }
  }
  return {
    lockVersion: LOCK_VERSION,
    tool: { name: tool.name, version: tool.version },
    report: {
      runId: report.runId,
      createdAt: report.createdAt,
      backend: report.backend,
      config: { file: report.config.file, sha256: report.config.sha256 },
    },
    selection: { policy, explanation },
    cell: { id: result.cell.id, name: result.cell.name },
    node: versions.node,
    'onnxruntime-node': versions.ort,
    tokenizer: { package: versions.tokenizer.package, version: versions.tokenizer.version, alias: result.cell.tokenizer.alias },
    pins: { dependencies, ...(Object.keys(devDependencies).length ? { devDependencies } : {}) },
    ...(result.image
      ? {
          image: {
            id: result.image.id,
            tag: result.image.tag,
            ...(result.image.digest ? { digest: result.image.digest } : {}),
            labels: sortedRecord(result.image.labels),
          },
        }
      : {}),
    hashes: { model: report.hashes.model, cases: report.hashes.cases, template: report.hashes.template, service: report.hashes.service },
    tree: treeOf(lockfile.packages),
  };
}

export const serializeJson = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
