/**
 * golden.lock.json: everything needed to rebuild and to check the golden cell. Built by a pure
 * function with a fixed key order (records sorted by key; the axes keep matrix.yaml's order,
 * which the cell id is computed in), and nothing in it depends on the clock, so freezing the same
 * report twice writes the same bytes. Documented in docs/reports.md.
 */
import { z } from 'zod';
import { AxisValue, type CellResult, type RunReport } from '../domain.js';
import { UserError } from '../errors.js';
import { asLockfile, sortedRecord, type LockfilePackages } from './npm-lockfile.js';
import type { Policy } from './policy.js';
import { exactPins } from './service-pins.js';

/** 2: the cell's values are `axes` (axis name → value, as in matrix.json) instead of named fields. */
export const LOCK_VERSION = 2;

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
  /** The golden cell's axis values exactly as in the report (model files' sha256 included). */
  axes: z.record(z.string(), AxisValue),
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

/**
 * golden.lock.json's content as this tool reads it. A lock of another lockVersion is refused in
 * one line that says how to get a current one: version 1 named its axes as fields, which no
 * code outside src/axes/ may read, so it is not migrated but frozen again.
 */
export function parseGoldenLock(data: unknown, file: string): GoldenLock {
  const version = (data as { lockVersion?: unknown } | null)?.lockVersion;
  if (typeof version === 'number' && version !== LOCK_VERSION) {
    const fix =
      version < LOCK_VERSION
        ? 'freeze again to rewrite it (`matrix freeze --policy newest` or `oldest`; `current` cannot compare with it)'
        : 'it was written by a newer matrix; use that version';
    throw new UserError(`${file}: lockVersion ${version}, expected ${LOCK_VERSION}; ${fix}`);
  }
  const parsed = GoldenLock.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export function treeOf(packages: LockfilePackages): Record<string, TreeEntry> {
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
    axes: structuredClone(result.cell.axes),
    pins: exactPins(result.cell.axes, lockfile.packages, where),
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
