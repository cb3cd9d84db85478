/**
 * Splitting long Chinese input. Marian models are trained on sentences; a long paragraph is
 * translated sentence by sentence (and a long sentence clause by clause), then joined again.
 */
export interface Piece {
  text: string;
  /** What joins this piece's translation to the next one: a line break where the source had one. */
  separator: ' ' | '\n' | '';
}

/** Sentence ends: Chinese and Latin terminators, optionally followed by closing quotes/brackets. */
const SENTENCE = /[^。！？!?…；;\n]*(?:[。！？!?…；;]+[”’」』）)\]"']*|\n|$)/g;
const CLAUSE = /[^，,、：:]*(?:[，,、：:]+|$)/g;

function pieces(text: string, pattern: RegExp): Piece[] {
  const out: Piece[] = [];
  for (const match of text.match(pattern) ?? []) {
    const trimmed = match.trim();
    if (trimmed === '') {
      if (match.includes('\n') && out.length) out[out.length - 1].separator = '\n';
      continue;
    }
    out.push({ text: trimmed, separator: match.endsWith('\n') ? '\n' : ' ' });
  }
  if (out.length) out[out.length - 1].separator = '';
  return out;
}

export function splitSentences(text: string): Piece[] {
  return pieces(text, SENTENCE);
}

export function splitClauses(text: string): Piece[] {
  return pieces(text, CLAUSE);
}

/** Joins translated pieces with their separators. */
export function joinPieces(translations: readonly string[], separators: readonly Piece['separator'][]): string {
  return translations
    .map((t, i) => t + (i < translations.length - 1 ? separators[i] || ' ' : ''))
    .join('')
    .replace(/ +\n/g, '\n')
    .trim();
}
