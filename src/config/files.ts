/**
 * The files and folders matrix.yaml names must be there before anything is planned or built: a
 * missing one is a bad value like any other, reported at the key that names it. (The file edge
 * beside ./index.ts; paths are relative to the folder of matrix.yaml.)
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { KeyPath, Problem } from './problems.js';
import type { MatrixConfig } from './schema.js';

export async function missingPaths(config: MatrixConfig, root: string): Promise<Problem[]> {
  const wanted: { key: KeyPath; value: string; kind: 'file' | 'folder'; what: string }[] = [
    ...Object.entries(config.axes).flatMap(([name, axis]) =>
      axis.kind === 'model'
        ? Object.entries(axis.variants).flatMap(([variant, v]) => [
            { key: ['axes', name, 'variants', variant, 'folder'], value: v.folder, kind: 'folder' as const, what: 'a model folder' },
            ...(v.cases ? [{ key: ['axes', name, 'variants', variant, 'cases'], value: v.cases, kind: 'file' as const, what: 'a smoke cases file' }] : []),
          ])
        : [],
    ),
    { key: ['smoke', 'cases'], value: config.smoke.cases, kind: 'file', what: 'a smoke cases file' },
    // The benchmark is read only when some of it is scored.
    ...(config.smoke['benchmark-limit'] > 0
      ? [{ key: ['smoke', 'benchmark'], value: config.smoke.benchmark, kind: 'file' as const, what: 'a benchmark file (zh, en, attribution)' }]
      : []),
    ...Object.entries(config.smoke['extra-benchmarks']).map(([name, file]) => ({
      key: ['smoke', 'extra-benchmarks', name],
      value: file,
      kind: 'file' as const,
      what: 'a benchmark file (zh, en, attribution)',
    })),
  ];
  const problems: Problem[] = [];
  for (const w of wanted) {
    const found = await stat(path.resolve(root, w.value)).catch(() => undefined);
    const why = !found ? `no such ${w.kind}` : (w.kind === 'folder' ? found.isDirectory() : found.isFile()) ? undefined : `not a ${w.kind}`;
    if (why) problems.push({ path: w.key, message: `expected ${w.what}, found ${JSON.stringify(w.value)} (${why})` });
  }
  return problems;
}
