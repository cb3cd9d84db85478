/**
 * `matrix verify`: does the service install and run exactly what golden.lock.json says? The
 * comparison is pure (lock + what was found → a list of Drift); reading service/ and asking a
 * running service for /version happen in ./gather.ts.
 */
import { actualVersions } from '../smoke/judge.js';
import type { GoldenLock } from './golden-lock.js';

export type DriftKind = 'missing-file' | 'missing' | 'extra' | 'version' | 'integrity' | 'node' | 'runtime';

export interface Drift {
  /** The file (or URL) where the difference is. */
  where: string;
  kind: DriftKind;
  /** Package, lockfile path or field. */
  subject: string;
  expected?: string;
  actual?: string;
}

export interface FoundService {
  /** Display names, e.g. "service/package.json". */
  files: { manifest: string; lockfile: string; nvmrc: string };
  manifest?: unknown;
  lockfile?: unknown;
  nvmrc?: string;
  /** The /version answer of a running service, with the URL it came from. */
  version?: { url: string; body: unknown };
}

type Deps = Record<string, string>;
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const stripV = (v: string) => v.trim().replace(/^v/, '');

function compareDeps(where: string, field: string, expected: Deps, found: Deps, out: Drift[]): void {
  for (const [name, version] of Object.entries(expected)) {
    const actual = found[name];
    if (actual === undefined) out.push({ where, kind: 'missing', subject: `${field}.${name}`, expected: version });
    else if (actual !== version) out.push({ where, kind: 'version', subject: `${field}.${name}`, expected: version, actual });
  }
  for (const [name, actual] of Object.entries(found)) {
    if (!(name in expected)) out.push({ where, kind: 'extra', subject: `${field}.${name}`, actual });
  }
}

function compareManifest(lock: GoldenLock, found: FoundService, out: Drift[]): void {
  const where = found.files.manifest;
  if (found.manifest === undefined) return void out.push({ where, kind: 'missing-file', subject: where });
  const manifest = record(found.manifest);
  compareDeps(where, 'dependencies', lock.pins.dependencies, record(manifest.dependencies) as Deps, out);
  if (lock.pins.devDependencies) compareDeps(where, 'devDependencies', lock.pins.devDependencies, record(manifest.devDependencies) as Deps, out);
  const engine = record(manifest.engines).node;
  if (engine !== lock.node) out.push({ where, kind: 'node', subject: 'engines.node', expected: lock.node, ...(typeof engine === 'string' ? { actual: engine } : {}) });
}

function compareLockfile(lock: GoldenLock, found: FoundService, out: Drift[]): void {
  const where = found.files.lockfile;
  if (found.lockfile === undefined) return void out.push({ where, kind: 'missing-file', subject: where });
  const packages = record(record(found.lockfile).packages);
  for (const [key, golden] of Object.entries(lock.tree)) {
    const entry = packages[key];
    if (entry === undefined) {
      out.push({ where, kind: 'missing', subject: key, ...(golden.version ? { expected: golden.version } : {}) });
      continue;
    }
    const e = record(entry);
    if (golden.version !== undefined && e.version !== golden.version) {
      out.push({ where, kind: 'version', subject: key, expected: golden.version, ...(typeof e.version === 'string' ? { actual: e.version } : {}) });
    } else if (golden.integrity !== undefined && e.integrity !== golden.integrity) {
      out.push({ where, kind: 'integrity', subject: key, expected: golden.integrity, ...(typeof e.integrity === 'string' ? { actual: e.integrity } : {}) });
    }
  }
  for (const key of Object.keys(packages)) {
    if (key !== '' && !(key in lock.tree)) out.push({ where, kind: 'extra', subject: key, ...(typeof record(packages[key]).version === 'string' ? { actual: record(packages[key]).version as string } : {}) });
  }
}

function compareNvmrc(lock: GoldenLock, found: FoundService, out: Drift[]): void {
  const where = found.files.nvmrc;
  if (found.nvmrc === undefined) return void out.push({ where, kind: 'missing-file', subject: where });
  const version = stripV(found.nvmrc);
  if (version !== lock.node) out.push({ where, kind: 'node', subject: 'node', expected: lock.node, actual: version });
}

function compareRuntime(lock: GoldenLock, version: NonNullable<FoundService['version']>, out: Drift[]): void {
  const where = version.url;
  const seen = actualVersions(version.body);
  if (!seen) return void out.push({ where, kind: 'runtime', subject: 'runtime', expected: 'node, onnxruntime-node and tokenizer versions', actual: JSON.stringify(version.body ?? null).slice(0, 120) });
  if (seen.node !== lock.node) out.push({ where, kind: 'node', subject: 'runtime.node', expected: lock.node, actual: seen.node });
  if (seen.ort !== lock['onnxruntime-node']) out.push({ where, kind: 'runtime', subject: 'runtime.onnxruntime-node', expected: lock['onnxruntime-node'], actual: seen.ort });
  if (seen.tokenizer.package !== lock.tokenizer.package || seen.tokenizer.version !== lock.tokenizer.version) {
    out.push({ where, kind: 'runtime', subject: 'runtime.tokenizer', expected: `${lock.tokenizer.package} ${lock.tokenizer.version}`, actual: `${seen.tokenizer.package} ${seen.tokenizer.version}` });
  }
}

export function verifyService(lock: GoldenLock, found: FoundService): Drift[] {
  const out: Drift[] = [];
  compareManifest(lock, found, out);
  compareLockfile(lock, found, out);
  compareNvmrc(lock, found, out);
  if (found.version) compareRuntime(lock, found.version, out);
  return out;
}

/** `service/package-lock.json: node_modules/express: version 5.1.0 (golden) ≠ 5.0.0 (found)` */
export function describeDrift(d: Drift): string {
  const head = `${d.where}: ${d.subject === d.where ? '' : d.subject + ': '}`;
  switch (d.kind) {
    case 'missing-file':
      return `${d.where}: missing (the golden lock expects it; run \`matrix freeze\`)`;
    case 'missing':
      return `${head}missing (golden: ${d.expected ?? 'present'})`;
    case 'extra':
      return `${head}not in the golden lock${d.actual ? ` (found ${d.actual})` : ''}`;
    default:
      return `${head}${d.kind} ${d.expected ?? '?'} (golden) ≠ ${d.actual ?? '(none)'} (found)`;
  }
}
