/**
 * golden.lock.json: everything needed to rebuild and to check the golden cell. Built by a pure
 * function with a fixed key order (records sorted by key; the axes keep matrix.yaml's order,
 * which the cell id is computed in), and nothing in it depends on the clock, so freezing the same
 * report twice writes the same bytes. Documented in docs/reports.md.
 */
import type { CellResult, RunReport } from '../domain.js';
import { UserError } from '../errors.js';
import { fromSchema } from '../fs/json-file.js';
import { asLockfile, sortedRecord, type LockfilePackages } from './npm-lockfile.js';
import type { Policy } from './policies.js';
import { exactPins } from './service-pins.js';
import { GoldenLock, LOCK_VERSION, type TreeEntry } from './types.js';

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
  return fromSchema(GoldenLock, data, file);
}

function treeOf(packages: LockfilePackages): Record<string, TreeEntry> {
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

export const serializeJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
