/**
 * Sentences of the input. Marian models are trained on single sentences: given several at once
 * they drop some (the bundled model turned 我有三本书。他每天早上六点起床。我爱你。 into "I have
 * three books at 6:30 every morning."). So every input is translated sentence by sentence, a
 * sentence longer than the model's source length clause by clause, and the translations are
 * joined again with the source's line breaks.
 */
export interface Piece {
  /** The sentence (or clause) with its own punctuation, trimmed. */
  text: string;
  /**
   * What joins this piece's translation to the next one: a space within a line, the source's
   * line breaks between lines ("\n", "\n\n" for a blank line, …), "" after the last piece.
   */
  separator: string;
}

/** A sentence: up to its terminators (Chinese and Latin), then any closing quotes or brackets. */
const SENTENCE = /[^。！？!?…；;]*(?:[。！？!?…；;]+[”’」』）)\]"']*|$)/g;
const CLAUSE = /[^，,、：:]*(?:[，,、：:]+|$)/g;
const LINE_BREAK = /\r\n|\r|\n/;

function matches(text: string, pattern: RegExp): string[] {
  return (text.match(pattern) ?? []).map((m) => m.trim()).filter((m) => m !== '');
}

/** The sentences of `text`, line by line; blank lines survive in the separators. */
export function splitSentences(text: string): Piece[] {
  const out: Piece[] = [];
  let breaks = 0;
  for (const [i, line] of text.split(LINE_BREAK).entries()) {
    if (i > 0) breaks++;
    for (const sentence of matches(line, SENTENCE)) {
      const previous = out[out.length - 1];
      if (previous) previous.separator = breaks ? '\n'.repeat(breaks) : ' ';
      out.push({ text: sentence, separator: '' });
      breaks = 0;
    }
  }
  return out;
}

/** The clauses of one sentence (after commas, enumeration commas and colons), joined by spaces. */
export function splitClauses(sentence: string): Piece[] {
  return matches(sentence, CLAUSE).map((text, i, all) => ({ text, separator: i < all.length - 1 ? ' ' : '' }));
}

/** Joins translated pieces with their separators; an empty translation leaves no double space. */
export function joinPieces(translations: readonly string[], separators: readonly string[]): string {
  let out = '';
  for (const [i, t] of translations.entries()) {
    out += t;
    if (i < translations.length - 1) out += separators[i] || ' ';
  }
  return out
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n[ \t]+/g, '\n')
    .replace(/ {2,}/g, ' ')
    .trim();
}
