/**
 * The newest ONNX IR version and ai.onnx opset each onnxruntime-node can load. The rows from 1.14
 * on were measured by loading models of each IR/opset (a record this repository does not keep);
 * those before 1.14 are read from onnxruntime's published compatibility table. Support only
 * grows, so a version newer than the last row gets the last row.
 */
import semver from 'semver';

const TABLE: { from: string; ir: number; opset: number }[] = [
  { from: '1.8.0', ir: 7, opset: 14 },
  { from: '1.9.0', ir: 8, opset: 15 },
  { from: '1.11.0', ir: 8, opset: 16 },
  { from: '1.12.0', ir: 8, opset: 17 },
  { from: '1.14.0', ir: 8, opset: 18 },
  { from: '1.15.0', ir: 9, opset: 19 },
  { from: '1.17.0', ir: 9, opset: 20 },
  { from: '1.18.0', ir: 10, opset: 21 },
  { from: '1.21.0', ir: 10, opset: 22 },
  { from: '1.23.0', ir: 11, opset: 23 },
  { from: '1.24.0', ir: 13, opset: 25 },
  { from: '1.25.0', ir: 13, opset: 26 },
];

/** undefined for versions older than the table: nothing is known, nothing is pruned. */
export function ortSupport(version: string): { ir: number; opset: number } | undefined {
  const v = semver.coerce(version)?.version;
  if (!v) return undefined;
  let found: { ir: number; opset: number } | undefined;
  for (const row of TABLE) if (semver.gte(v, row.from)) found = { ir: row.ir, opset: row.opset };
  return found;
}
