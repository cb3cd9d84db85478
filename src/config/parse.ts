/**
 * matrix.yaml text → a validated MatrixConfig, or problems with their place in the file.
 * Pure: no file system, never throws for bad input. loadConfig (./index.ts) is the edge.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { MatrixConfig } from './schema.js';
import { formatPath, problemsFromIssues, type KeyPath, type Problem } from './problems.js';
import { RULES } from './rules.js';

export interface ParsedConfig {
  /** Present only when there are no problems. */
  config?: MatrixConfig;
  problems: Problem[];
  /** Line and column (1-based) of the value at a key path, or of its nearest existing parent. */
  locate(path: KeyPath, atKey?: boolean): { line: number; col: number } | undefined;
}

export function parseConfig(text: string, _fileName = 'matrix.yaml'): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number) => lineCounter.linePos(offset);
  const locate = (path: KeyPath, atKey = false) => locateIn(doc, path, atKey, pos);

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e): Problem => {
      const start = pos(e.pos[0]);
      return { path: [], message: yamlMessage(e.code, e.message), line: start.line, col: start.col };
    });
    return { problems, locate };
  }

  const input: unknown = doc.toJS({ maxAliasCount: 100 });
  if (input === null || input === undefined || typeof input !== 'object' || Array.isArray(input)) {
    const problem: Problem = { path: [], message: `expected a mapping with at least an \`axes\` key, found ${input == null ? 'an empty document' : Array.isArray(input) ? 'a list' : JSON.stringify(input)}`, line: 1, col: 1 };
    return { problems: [problem], locate };
  }

  const result = MatrixConfig.safeParse(input);
  const problems = result.success ? RULES.flatMap((rule) => rule(result.data)) : problemsFromIssues(result.error.issues, input);
  const located = problems.map((p) => ({ ...p, ...(p.line === undefined ? locate(p.path, p.atKey) : {}) }));
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  return result.success && located.length === 0 ? { config: result.data, problems: [], locate } : { problems: located, locate };
}

/** `matrix.yaml:3:5: axes.node: expected ..., found ...` — the one line a user sees. */
export function formatProblem(fileName: string, p: Problem): string {
  const where = p.line === undefined ? fileName : `${fileName}:${p.line}:${p.col ?? 1}`;
  return p.path.length ? `${where}: ${formatPath(p.path)}: ${p.message}` : `${where}: ${p.message}`;
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  const text = first.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return `expected each key once, found a duplicate key (${text})`;
    case 'TAB_AS_INDENT':
      return 'expected spaces for indentation, found a tab';
    default:
      return `expected valid YAML, found a syntax error: ${text}`;
  }
}

function locateIn(
  doc: Document,
  path: KeyPath,
  atKey: boolean,
  pos: (offset: number) => { line: number; col: number },
): { line: number; col: number } | undefined {
  let node: unknown = doc.contents;
  let best: Node | undefined = doc.contents ?? undefined;
  let keyNode: Node | undefined;
  for (const seg of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else break;
    if (node && typeof node === 'object' && 'range' in node) best = node as Node;
    else if (keyNode) best = keyNode;
  }
  const target = atKey && keyNode ? keyNode : best;
  const offset = target?.range?.[0];
  return offset === undefined ? undefined : pos(offset);
}
