/** Whether an include/exclude/allow-failure/install rule of matrix.yaml matches a cell. */
import semver from 'semver';
import type { CellMatch } from '../config/schema.js';
import type { CellVersions } from './cell.js';

const inRange = (version: string, range: string) => semver.satisfies(version, range, { includePrerelease: true });

export function matches(rule: CellMatch, cell: CellVersions): boolean {
  if (rule.node !== undefined && !inRange(cell.node, rule.node)) return false;
  if (rule['onnxruntime-node'] !== undefined && !inRange(cell.ort, rule['onnxruntime-node'])) return false;
  const t = rule.tokenizer;
  if (t !== undefined) {
    const pkg = typeof t === 'string' ? t : t.package;
    if (pkg !== cell.tokenizer.package) return false;
    if (typeof t !== 'string' && t.versions !== undefined && !inRange(cell.tokenizer.version, t.versions)) return false;
  }
  return true;
}
