/**
 * Translation edit rate of one hypothesis against one reference: word-level
 * Levenshtein distance plus block shifts, as sacreBLEU 2.x's `lib_ter.py`
 * re-implements Tercom. The heuristics (which shifts are tried, how they are
 * ranked, the beam around the diagonal and the limits below) are
 * sacreBLEU's, kept as they are because they change the number of edits.
 */

const MAX_SHIFT_SIZE = 10;
const MAX_SHIFT_DIST = 50;
const BEAM_WIDTH = 25;
/** Shift candidates evaluated per sentence pair before sacreBLEU gives up searching. */
const MAX_SHIFT_CANDIDATES = 1000;

/** Edit operations as stored in the matrix, and as characters in a trace (sacreBLEU's letters). */
const OP = { none: 0, nop: 1, sub: 2, ins: 3, del: 4 } as const;
const OP_CHAR = ['x', ' ', 's', 'i', 'd'];

interface Row {
  cost: Float64Array;
  op: Uint8Array;
}

/** Returns the edits (shifts + insertions + deletions + substitutions) and the reference length. */
export function translationEditRate(hyp: readonly string[], ref: readonly string[]): { edits: number; refLength: number } {
  if (ref.length === 0) return { edits: hyp.length, refLength: 0 };
  const distance = new BeamEditDistance(ref);
  let shifts = 0;
  let words = hyp;
  let checked = 0;
  for (;;) {
    const step = bestShift(words, ref, distance, checked);
    checked = step.checked;
    // Out of budget: sacreBLEU drops the shift found in this round as well.
    if (checked >= MAX_SHIFT_CANDIDATES || step.gain <= 0) break;
    shifts += 1;
    words = step.words;
  }
  return { edits: shifts + distance.of(words).cost, refLength: ref.length };
}

interface ShiftStep {
  gain: number;
  words: readonly string[];
  checked: number;
}

/** The shift of a block of hypothesis words that lowers the edit distance most (Tercom's ranking). */
function bestShift(hyp: readonly string[], ref: readonly string[], distance: BeamEditDistance, checked: number): ShiftStep {
  const before = distance.of(hyp);
  // The trace rewrites the hypothesis into the reference; flipped, it aligns reference positions to hypothesis ones.
  const { align, refErr, hypErr } = alignment(flip(before.trace));
  let best: { gain: number; length: number; startH: number; idx: number; words: readonly string[] } | undefined;

  for (const [startH, startR, length] of matchingBlocks(hyp, ref)) {
    // Only move words that are wrong where they are, to a place where the reference is unmatched.
    if (!hypErr.slice(startH, startH + length).some(Boolean)) continue;
    if (!refErr.slice(startR, startR + length).some(Boolean)) continue;
    const alignedStart = align.get(startR)!;
    if (startH <= alignedStart && alignedStart < startH + length) continue;

    let prevIdx = -1;
    for (let offset = -1; offset < length; offset++) {
      let idx: number;
      if (startR + offset === -1) idx = 0;
      else if (align.has(startR + offset)) idx = align.get(startR + offset)! + 1;
      else break;
      if (idx === prevIdx) continue;
      prevIdx = idx;

      const words = performShift(hyp, startH, length, idx);
      const gain = before.cost - distance.of(words).cost;
      checked += 1;
      // Rank: largest gain, then longest block, then earliest block, then earliest target.
      if (
        best === undefined ||
        gain > best.gain ||
        (gain === best.gain && (length > best.length || (length === best.length && (startH < best.startH || (startH === best.startH && idx < best.idx)))))
      ) {
        best = { gain, length, startH, idx, words };
      }
    }
    if (checked >= MAX_SHIFT_CANDIDATES) break;
  }
  return best === undefined ? { gain: 0, words: hyp, checked } : { gain: best.gain, words: best.words, checked };
}

/** Moves `words[start, start+length)` so that it begins before position `target` of the original. */
export function performShift(words: readonly string[], start: number, length: number, target: number): string[] {
  const block = words.slice(start, start + length);
  if (target < start) return [...words.slice(0, target), ...block, ...words.slice(target, start), ...words.slice(start + length)];
  if (target > start + length) return [...words.slice(0, start), ...words.slice(start + length, target), ...block, ...words.slice(target)];
  return [...words.slice(0, start), ...words.slice(start + length, length + target), ...block, ...words.slice(length + target)];
}

/** Every (hypothesis start, reference start, length) of equal word runs up to MAX_SHIFT_SIZE, in sacreBLEU's order. */
function* matchingBlocks(hyp: readonly string[], ref: readonly string[]): Generator<[number, number, number]> {
  for (let startH = 0; startH < hyp.length; startH++) {
    for (let startR = 0; startR < ref.length; startR++) {
      if (Math.abs(startR - startH) > MAX_SHIFT_DIST) continue;
      let length = 0;
      while (length < MAX_SHIFT_SIZE && hyp[startH + length] === ref[startR + length]) {
        length += 1;
        yield [startH, startR, length];
        if (startH + length === hyp.length || startR + length === ref.length) break;
      }
    }
  }
}

function flip(trace: string): string {
  return trace.replace(/[id]/g, (op) => (op === 'i' ? 'd' : 'i'));
}

/** From a trace rewriting the reference into the hypothesis: reference position → hypothesis position, and which words are errors. */
function alignment(trace: string): { align: Map<number, number>; refErr: number[]; hypErr: number[] } {
  let posHyp = -1;
  let posRef = -1;
  const align = new Map<number, number>();
  const refErr: number[] = [];
  const hypErr: number[] = [];
  for (const op of trace) {
    if (op === ' ' || op === 's') {
      posHyp += 1;
      posRef += 1;
      align.set(posRef, posHyp);
      const err = op === 's' ? 1 : 0;
      hypErr.push(err);
      refErr.push(err);
    } else if (op === 'i') {
      posHyp += 1;
      hypErr.push(1);
    } else if (op === 'd') {
      posRef += 1;
      align.set(posRef, posHyp);
      refErr.push(1);
    } else {
      throw new Error(`TER: unknown edit operation ${JSON.stringify(op)}`);
    }
  }
  return { align, refErr, hypErr };
}

interface TrieNode {
  next: Map<string, TrieNode>;
  row: Row;
}

/** sacreBLEU stops caching past this many rows per reference; results do not depend on it. */
const MAX_CACHED_ROWS = 10_000;

/**
 * Edit distance to a fixed reference, computed only in a beam around the
 * (length-ratio) diagonal as sacreBLEU does, so that corner cases agree with it.
 * Rows are cached by hypothesis prefix: shift candidates share long prefixes
 * and all have the same length, so a cached row is exactly what would be recomputed.
 */
class BeamEditDistance {
  private readonly root = new Map<string, TrieNode>();
  private cachedRows = 0;
  private readonly initialRow: Row;

  constructor(private readonly ref: readonly string[]) {
    const cost = new Float64Array(ref.length + 1).map((_, j) => j);
    this.initialRow = { cost, op: new Uint8Array(ref.length + 1).fill(OP.ins) };
  }

  of(hyp: readonly string[]): { cost: number; trace: string } {
    const rows: Row[] = [this.initialRow];
    let node = this.root;
    for (const word of hyp) {
      const hit = node.get(word);
      if (!hit) break;
      rows.push(hit.row);
      node = hit.next;
    }
    const cached = rows.length;
    this.fill(hyp, rows);
    for (let i = cached; i < rows.length && this.cachedRows < MAX_CACHED_ROWS; i++) {
      const fresh: TrieNode = { next: new Map(), row: rows[i]! };
      node.set(hyp[i - 1]!, fresh);
      this.cachedRows += 1;
      node = fresh.next;
    }
    return { cost: rows.at(-1)!.cost[this.ref.length]!, trace: this.trace(hyp, rows) };
  }

  private fill(hyp: readonly string[], rows: Row[]): void {
    const nRef = this.ref.length;
    const ratio = hyp.length > 0 ? nRef / hyp.length : 1;
    // A very uneven length ratio could leave consecutive beams without overlap.
    const beam = BEAM_WIDTH < ratio / 2 ? Math.ceil(ratio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
    for (let i = rows.length; i <= hyp.length; i++) {
      const prev = rows[i - 1]!;
      const row: Row = { cost: new Float64Array(nRef + 1).fill(Infinity), op: new Uint8Array(nRef + 1) };
      const diag = Math.floor(i * ratio);
      const minJ = Math.max(0, diag - beam);
      const maxJ = i === hyp.length ? nRef + 1 : Math.min(nRef + 1, diag + beam);
      for (let j = minJ; j < maxJ; j++) {
        if (j === 0) {
          row.cost[0] = prev.cost[0]! + 1;
          row.op[0] = OP.del;
          continue;
        }
        const same = hyp[i - 1] === this.ref[j - 1];
        // Tercom prefers match/substitution, then insertion, then deletion; the
        // trace is flipped later, hence deletion before insertion here. Only a
        // strictly lower cost replaces an earlier choice.
        let cost = prev.cost[j - 1]! + (same ? 0 : 1);
        let op: number = same ? OP.nop : OP.sub;
        if (prev.cost[j]! + 1 < cost) {
          cost = prev.cost[j]! + 1;
          op = OP.del;
        }
        if (row.cost[j - 1]! + 1 < cost) {
          cost = row.cost[j - 1]! + 1;
          op = OP.ins;
        }
        if (cost < row.cost[j]!) {
          row.cost[j] = cost;
          row.op[j] = op;
        }
      }
      rows.push(row);
    }
  }

  /** The operations rewriting the hypothesis into the reference, read back from the last cell. */
  private trace(hyp: readonly string[], rows: readonly Row[]): string {
    const ops: string[] = [];
    let i = hyp.length;
    let j = this.ref.length;
    while (i > 0 || j > 0) {
      const op = rows[i]!.op[j]!;
      if (op === OP.none) throw new Error('TER: edit distance trace left the beam');
      ops.push(OP_CHAR[op]!);
      if (op === OP.nop || op === OP.sub) {
        i -= 1;
        j -= 1;
      } else if (op === OP.ins) j -= 1;
      else i -= 1;
    }
    return ops.reverse().join('');
  }
}
