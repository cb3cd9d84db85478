/**
 * Reads the facts of each model variant of a config (the file edge of ./onnx.ts): for every ONNX
 * file a variant loads, its sha256 and the IR version and opset it declares; for the folder, the
 * sha256 of all of it. Each folder is hashed once however many variants share it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { modelKey, variantFiles, type ModelFacts } from '../axes/index.js';
import type { KeyPath, Problem } from '../config/problems.js';
import type { MatrixConfig } from '../config/schema.js';
import { Digests } from '../fs/digests.js';
import { readOnnxHeader } from './onnx.js';

function header(file: string): { irVersion: number; opset: number } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const h = readOnnxHeader((offset, length) => {
      const buf = Buffer.alloc(length);
      readSync(fd, buf, 0, length, offset);
      return buf;
    }, size);
    return { irVersion: h.irVersion, opset: h.opsets[''] ?? 0 };
  } finally {
    closeSync(fd);
  }
}

/** Facts by modelKey, plus problems placed at the variant that names a missing or broken file. */
export async function readModelFacts(
  config: MatrixConfig,
  root: string,
  digests = new Digests(),
): Promise<{ models: Record<string, ModelFacts>; problems: Problem[] }> {
  const models: Record<string, ModelFacts> = {};
  const problems: Problem[] = [];
  const folders = new Map<string, Promise<string>>();
  for (const [axisName, axis] of Object.entries(config.axes)) {
    if (axis.kind !== 'model') continue;
    for (const [variant, v] of Object.entries(axis.variants)) {
      const files = variantFiles(v);
      const at: KeyPath = ['axes', axisName, 'variants', variant, v.files ? 'files' : 'folder'];
      const dir = path.resolve(root, v.folder);
      const facts: ModelFacts['files'] = {};
      for (const [role, rel] of Object.entries(files)) {
        const file = path.join(dir, rel);
        try {
          facts[role] = { path: rel, sha256: await digests.file(file), ...header(file) };
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          problems.push({
            path: at,
            message: `expected ${rel} in ${v.folder} to be an ONNX model, found ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`,
          });
        }
      }
      if (Object.keys(facts).length !== Object.keys(files).length) continue;
      if (!folders.has(dir)) folders.set(dir, digests.tree(dir));
      models[modelKey(v.folder, files)] = { files: facts, folderSha256: await folders.get(dir)! };
    }
  }
  return { models, problems };
}
