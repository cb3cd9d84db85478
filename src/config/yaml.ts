/**
 * Reading a user's YAML (matrix.yaml, the smoke cases) without trusting it: a size limit, an
 * alias limit against "billion laughs" documents, and every problem with its line and column.
 * Pure: text in, plain data and a way to find where a key path was written out; never throws
 * for bad input.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { KeyPath, Problem } from './problems.js';

/**
 * 25 times the repository's matrix.yaml, about 1000 smoke cases. yaml's duplicate-key check is
 * quadratic in the keys of one mapping: at this size a crafted file costs about a second.
 */
const MAX_YAML_CHARS = 100_000;
/** Copies that aliases (*name) may make of anchored values; reusing a few anchors stays far below. */
const MAX_ALIAS_COUNT = 100;

export type Locate = (path: KeyPath, atKey?: boolean) => { line: number; col: number };

export interface YamlText {
  /** The plain data, present only when there are no problems. */
  value?: unknown;
  problems: Problem[];
  /** Line and column (1-based) of the value at a key path, or of its nearest existing parent (1:1 at worst). */
  locate: Locate;
}

export function readYaml(text: string): YamlText {
  if (text.length > MAX_YAML_CHARS) {
    const lines = text.slice(0, MAX_YAML_CHARS).split('\n');
    const message = `expected at most ${MAX_YAML_CHARS} characters of YAML, found ${text.length} (the limit is crossed here)`;
    return { problems: [{ path: [], message, line: lines.length, col: lines.at(-1)!.length + 1 }], locate: () => ({ line: 1, col: 1 }) };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number) => lineCounter.linePos(offset);
  const keys = new WeakMap<YAMLMap, Map<string, Pair>>();
  const locate: Locate = (path, atKey = false) => locateIn(doc, path, atKey, pos, keys);
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e): Problem => ({ path: [], message: yamlMessage(e.code, e.message), ...pos(e.pos[0]) }));
    return { problems, locate };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), problems: [], locate };
  } catch (error) {
    // yaml throws a ReferenceError for an alias bomb, without saying where it is.
    if (!(error instanceof ReferenceError)) throw error;
    const bomb = aliasBomb(doc);
    const message = `expected aliases (*name) that repeat at most ${MAX_ALIAS_COUNT} values, found more here (${error.message})`;
    return { problems: [{ path: [], message, ...pos(bomb?.range?.[0] ?? 0) }], locate };
  }
}

/** Problems with their line and column filled in from their key paths, in file order. */
export function placed(problems: Problem[], locate: Locate): Problem[] {
  const located = problems.map((p) => ({ ...p, ...(p.line === undefined ? locate(p.path, p.atKey) : {}) }));
  return located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  const text = first.replace(/ at line \d+, column \d+:?$/, '');
  if (text.includes('Maximum call stack size exceeded')) return 'expected YAML nested a few levels deep, found nesting too deep to read';
  switch (code) {
    case 'DUPLICATE_KEY':
      return `expected each key once, found a duplicate key (${text})`;
    case 'TAB_AS_INDENT':
      return 'expected spaces for indentation, found a tab';
    default:
      return `expected valid YAML, found a syntax error: ${text}`;
  }
}

/**
 * The innermost node whose aliases copy more than MAX_ALIAS_COUNT values: where the bomb goes
 * off. One walk in document order (an alias names the last anchor before it), sizes memoized,
 * so finding it costs no more than the document is long.
 */
function aliasBomb(doc: Document): Node | undefined {
  const anchors = new Map<string, Node>();
  const size = new Map<Node, number>();
  let found: Node | undefined;
  // Returns [values the node stands for once expanded, of which copied by aliases].
  const walk = (node: unknown): [number, number] => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      // An alias inside its own anchor repeats without end.
      const n = target ? (size.get(target) ?? Infinity) : 1;
      return [n, n];
    }
    if (!node || typeof node !== 'object') return [0, 0];
    const anchor = (node as Node).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    let total = 1;
    let copied = 0;
    const items: unknown[] = isMap(node) || isSeq(node) ? node.items : isPair(node) ? [node.key, node.value] : [];
    for (const item of items) {
      const [t, c] = walk(item);
      total += t;
      copied += c;
    }
    if (!isPair(node)) size.set(node as Node, total);
    if (!found && !isPair(node) && copied > MAX_ALIAS_COUNT) found = node as Node;
    return [total, copied];
  };
  walk(doc.contents);
  return found;
}

function locateIn(
  doc: Document,
  path: KeyPath,
  atKey: boolean,
  pos: (offset: number) => { line: number; col: number },
  keys: WeakMap<YAMLMap, Map<string, Pair>>,
): { line: number; col: number } {
  let node: unknown = doc.contents;
  let best: Node | undefined = doc.contents ?? undefined;
  let keyNode: Node | undefined;
  for (const seg of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = keyIndex(node, keys).get(String(seg));
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
  return pos(target?.range?.[0] ?? 0);
}

/** Built once per mapping: locating every problem of a mapping with thousands of keys stays linear. */
function keyIndex(map: YAMLMap, keys: WeakMap<YAMLMap, Map<string, Pair>>): Map<string, Pair> {
  let index = keys.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) if (isScalar(pair.key) && !index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
    keys.set(map, index);
  }
  return index;
}
