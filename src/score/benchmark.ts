/**
 * The benchmark set (cases/benchmark/*.tsv): one row per translation, columns
 * `zh`, `en`, `attribution`. A Chinese sentence with several English
 * translations has several rows; scoring treats them as one segment with
 * several references.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError, at } from '../errors.js';

export interface BenchmarkSegment {
  /** The Chinese sentence to translate. */
  source: string;
  /** Every English translation of it, in file order. */
  references: string[];
}

const HEADER = ['zh', 'en', 'attribution'];

/**
 * Pure: TSV text → segments grouped by source, in order of first appearance.
 * Fields are taken as they are (no quoting, no trimming); a bad row is a
 * UserError naming `file:line:col`.
 */
export function parseBenchmarkTsv(text: string, file = 'benchmark.tsv'): BenchmarkSegment[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const header = lines[0];
  if (header === undefined || header !== HEADER.join('\t')) {
    throw new UserError(at(file, 1, 1, `header: expected ${JSON.stringify(HEADER.join('\t'))}, found ${JSON.stringify(header ?? '')}`));
  }
  const bySource = new Map<string, BenchmarkSegment>();
  lines.slice(1).forEach((line, index) => {
    const lineNo = index + 2;
    const fields = line.split('\t');
    if (fields.length !== HEADER.length) {
      // Point at the first missing field (the end of the line) or at the tab that starts an extra one.
      const col = fields.length < HEADER.length ? line.length + 1 : fields.slice(0, HEADER.length).join('\t').length + 1;
      const key = HEADER[Math.min(fields.length, HEADER.length - 1)];
      const found = line === '' ? 'an empty line' : `${fields.length}`;
      throw new UserError(at(file, lineNo, col, `${key}: expected ${HEADER.length} tab-separated fields (${HEADER.join(', ')}), found ${found}`));
    }
    const [source, reference] = fields as [string, string, string];
    const blank = (field: string) => (field.trim() === '' ? (field === '' ? 'an empty field' : `only spaces ${JSON.stringify(field)}`) : undefined);
    const emptySource = blank(source);
    if (emptySource) throw new UserError(at(file, lineNo, 1, `zh: expected a sentence, found ${emptySource}`));
    const emptyReference = blank(reference);
    if (emptyReference) throw new UserError(at(file, lineNo, source.length + 2, `en: expected a sentence, found ${emptyReference}`));
    const segment = bySource.get(source);
    if (segment) segment.references.push(reference);
    else bySource.set(source, { source, references: [reference] });
  });
  return [...bySource.values()];
}

export async function loadBenchmark(file: string): Promise<BenchmarkSegment[]> {
  const name = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(at(name, undefined, undefined, `cannot read the benchmark set (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`));
  }
  return parseBenchmarkTsv(text, name);
}
