/**
 * A box-drawn table that fits a width: rules only under the header and between groups of rows,
 * and when the natural widths are too wide, the widest columns are cut in the middle
 * (`hf-tok…0.2.0` keeps the version that tells two rows apart). Pure; text is measured before
 * it is painted, so colors never count towards the width.
 */

/** Narrowest a cut column gets: room for `ab…yz`. */
const MIN_COLUMN = 5;

/** The width renderers assume when the output is not a terminal (pipes, files, CI logs). */
export const DEFAULT_WIDTH = 100;

/** The width to render for: the terminal's columns when it has any, else DEFAULT_WIDTH. */
export const terminalWidth = (columns: number | undefined): number => (columns && columns > 0 ? columns : DEFAULT_WIDTH);

/** `text` in at most `width` characters, cut at the end: the start (a verdict, a version's major) stays. */
function shortenEnd(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : width <= 1 ? '…'.slice(0, width) : `${chars.slice(0, width - 1).join('')}…`;
}

/** `text` in at most `width` characters, cut in the middle. */
export function shorten(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail ? chars.slice(-tail).join('') : ''}`;
}

export interface GridCell {
  text: string;
  /** Applied to each line of the text after it is cut, so it never changes the layout. */
  paint?: (text: string, line: number) => string;
}

export interface Grid {
  head: GridCell[];
  rows: GridCell[][];
  /** Columns cut only when cutting the others was not enough (the verdicts). */
  keep?: ReadonlySet<number>;
  /** Indexes of rows that begin a group: a rule is drawn above each (but the first). */
  groupStarts?: ReadonlySet<number>;
}

const length = (text: string) => [...text].length;

/** How narrow a kept (verdict) column may get before the other values are cut. */
const KEPT_FLOOR = 9;

/** Column widths that fit `width` (borders and padding included): the widest column above its floor is cut first. */
function fitWidths(natural: number[], width: number, floors: number[][] = [natural.map(() => MIN_COLUMN)]): number[] {
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0) + 3 * widths.length + 1;
  for (const floor of floors) {
    while (total > width) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        if (widths[i]! > Math.max(MIN_COLUMN, floor[i]!) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) break;
      widths[widest]!--;
      total--;
    }
  }
  return widths;
}

export function renderGrid(grid: Grid, width: number): string {
  const all = [grid.head, ...grid.rows];
  const widest = (rows: GridCell[][], c: number) => Math.max(0, ...rows.map((row) => Math.max(0, ...(row[c]?.text ?? '').split('\n').map(length))));
  const natural = grid.head.map((_, c) => widest(all, c));
  const body = grid.head.map((_, c) => widest(grid.rows, c));
  const kept = (floor: (c: number) => number) => natural.map((n, c) => (grid.keep?.has(c) ? n : floor(c)));
  // Headers (axis names) are cut first; then the kept columns (verdicts), cut at the end so they
  // still read ("✖ start-…", "node 14.…"); then values, which cut in the middle stop telling 1.14.0 from 1.30.0.
  const readable = (c: number) => (grid.keep?.has(c) ? Math.min(natural[c]!, KEPT_FLOOR) : body[c]!);
  const widths = fitWidths(natural, width, [kept((c) => body[c]!), natural.map((_, c) => readable(c)), kept(() => MIN_COLUMN), natural.map(() => MIN_COLUMN)]);
  const rule = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const line = (row: GridCell[]) => {
    const cells = widths.map((w, c) => (row[c]?.text ?? '').split('\n').map((t) => (grid.keep?.has(c) ? shortenEnd(t, w) : shorten(t, w))));
    const height = Math.max(...cells.map((l) => l.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      const parts = cells.map((l, c) => {
        const t = l[k] ?? '';
        const paint = row[c]?.paint;
        return ` ${t && paint ? paint(t, k) : t}${' '.repeat(widths[c]! - length(t))} `;
      });
      out.push(`│${parts.join('│')}│`);
    }
    return out;
  };
  const lines = [rule('┌', '┬', '┐'), ...line(grid.head), rule('├', '┼', '┤')];
  grid.rows.forEach((row, i) => {
    if (i > 0 && grid.groupStarts?.has(i)) lines.push(rule('├', '┼', '┤'));
    lines.push(...line(row));
  });
  lines.push(rule('└', '┴', '┘'));
  return lines.join('\n');
}
