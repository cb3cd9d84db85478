/**
 * The modules of src/ import in one direction: no module reaches, through any chain of imports
 * (type imports and re-exports included), back to itself. A cycle of values makes a result depend
 * on which module loads first; a cycle of types ties two rooms together so that neither can change
 * alone. The imports are read by the TypeScript compiler's own pre-processor, which skips comments
 * and strings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

const src = fileURLToPath(new URL('.', import.meta.url));

function modules(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(folder, e.name);
    if (e.isDirectory()) return modules(file);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The modules of src/ that `file` imports or re-exports from. */
function imports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
  return importedFiles
    .map((f) => f.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')))
    .filter((f) => f.startsWith(src));
}

/** Every cycle once, each as the shortest trail from its first module back to itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  for (const start of graph.keys()) {
    // Breadth first from start: the first trail that comes back is the shortest cycle through it.
    const trails: string[][] = [[start]];
    const seen = new Set([start]);
    while (trails.length) {
      const trail = trails.shift()!;
      for (const next of graph.get(trail.at(-1)!) ?? []) {
        if (next === start) {
          const key = [...trail].sort().join('\n');
          if (!found.has(key)) found.set(key, [...trail, start]);
          trails.length = 0;
          break;
        }
        if (!seen.has(next)) {
          seen.add(next);
          trails.push([...trail, next]);
        }
      }
    }
  }
  return [...found.values()];
}

test('no module of src/ imports, through any chain, a module that imports it back', () => {
  const graph = new Map(modules(src).map((f) => [f, imports(f)]));
  expect(graph.size).toBeGreaterThan(100);
  expect(cycles(graph).map((c) => c.map((f) => path.relative(src, f)).join(' → '))).toEqual([]);
});

test('a cycle is found, however long', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
    ['e', ['e']],
  ]);
  expect(cycles(graph)).toEqual([
    ['a', 'b', 'c', 'a'],
    ['e', 'e'],
  ]);
});
