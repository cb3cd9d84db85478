/**
 * The three-axis matrix.yaml of tool versions before axes were data (`axes: {node,
 * onnxruntime-node, tokenizer}` without kinds, `node-source:` and `model:` at the top) is not read
 * any more: it is refused with one line that shows the same matrix in the new form. Pure.
 */
import { stringify } from 'yaml';
import type { Problem } from './problems.js';

const OLD_AXES = ['node', 'onnxruntime-node', 'tokenizer'];
type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const selector = (v: unknown): Json => (isMap(v) ? v : { versions: v });

/** The problem for a config in the old form, or undefined. */
export function oldFormProblem(input: Json): Problem | undefined {
  const axes = input.axes;
  // One axis with a kind means the new form with a kind left out: the schema says where.
  const oldAxes = isMap(axes) && Object.keys(axes).some((k) => OLD_AXES.includes(k)) && !Object.values(axes).some((v) => isMap(v) && 'kind' in v);
  const oldTop = 'node-source' in input || 'model' in input;
  if (!oldAxes && !oldTop) return undefined;
  const a = isMap(axes) ? axes : {};
  const now: Json = {};
  const source = 'node-source' in input ? { source: input['node-source'] } : {};
  for (const [name, v] of Object.entries(a)) {
    // node-source moves into the runtime axis, whichever form that axis is already in.
    if (isMap(v) && 'kind' in v) now[name] = v.kind === 'runtime' && !('source' in v) ? { kind: v.kind, ...source, ...v } : v;
    else if (name === 'node') now[name] = { kind: 'runtime', ...source, ...selector(v) };
    else if (name === 'tokenizer') now[name] = { kind: 'alternatives', packages: v };
    else now[name] = { kind: 'package', ...(name === 'onnxruntime-node' ? { alias: 'ort' } : {}), ...selector(v) };
  }
  if (!Object.values(now).some((v) => isMap(v) && v.kind === 'model')) {
    now.model = { kind: 'model', variants: { fp32: { folder: typeof input.model === 'string' ? input.model : 'service/model/zh-en' } } };
  }
  const text = stringify({ axes: now }, { collectionStyle: 'flow', lineWidth: 0 }).trim();
  const dropped = ['node-source', 'model'].filter((k) => k in input);
  return {
    path: oldAxes ? ['axes'] : [dropped[0]!],
    message: `expected axes with a kind each, found the three-axis form${dropped.length ? ` (with ${dropped.join(' and ')} at the top)` : ''}; write it as ${text}${dropped.length ? `, without ${dropped.join(' and ')}` : ''} (docs/matrix-yaml.md#migrating-from-the-three-axis-form)`,
  };
}
