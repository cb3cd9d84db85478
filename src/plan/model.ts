/** Reads the model's IR version and opset from its ONNX files (the file edge of ./onnx.ts). */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { readOnnxHeader } from './onnx.js';
import type { ModelInfo } from './plan.js';

/** ONNX files in `dir/onnx/` and `dir/`; undefined when there are none (a model still training). */
export async function readModelInfo(dir: string): Promise<ModelInfo | undefined> {
  const files: string[] = [];
  for (const d of [path.join(dir, 'onnx'), dir]) {
    const names = await readdir(d).catch(() => [] as string[]);
    for (const n of names.sort()) if (n.endsWith('.onnx')) files.push(path.join(d, n));
  }
  if (files.length === 0) return undefined;
  let irVersion = 0;
  let opset = 0;
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const header = readOnnxHeader((offset, length) => {
        const buf = Buffer.alloc(length);
        readSync(fd, buf, 0, length, offset);
        return buf;
      }, size);
      irVersion = Math.max(irVersion, header.irVersion);
      opset = Math.max(opset, header.opsets[''] ?? 0);
    } catch (error) {
      throw new UserError(`${path.relative(process.cwd(), file)}: ${(error as Error).message}`);
    } finally {
      closeSync(fd);
    }
  }
  return { dir, files: files.map((f) => path.relative(dir, f)), irVersion, opset };
}
