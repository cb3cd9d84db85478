/**
 * Paragraphs made from the benchmark's single sentences, for the paragraph tests and the service
 * benchmark: 2 to 6 sentences each, written one after the other as Chinese does (no space), some
 * with a line break or a blank line between two of them. "Single" is what the service's own
 * splitter keeps whole, so a paragraph's sentences are exactly the pieces the service translates.
 */
import { splitSentences } from '../../service/src/text/split.js';

export interface Paragraph {
  text: string;
  sentences: string[];
  /** What stands between sentence i and i+1 in the source: "" (nothing), "\n" or "\n\n". */
  breaks: string[];
}

const SIZES = [2, 3, 4, 5, 6, 3, 2, 4];

/** Sources the service translates as one sentence, also when another sentence follows (they end with 。？！ or the like). */
export function singleSentences(sources: readonly string[]): string[] {
  return sources.filter((s) => splitSentences(s).length === 1 && splitSentences(s + s).length === 2);
}

export function paragraphsFrom(sentences: readonly string[]): Paragraph[] {
  const out: Paragraph[] = [];
  for (let start = 0, p = 0; start + 1 < sentences.length; p++) {
    const group = sentences.slice(start, start + SIZES[p % SIZES.length]!);
    start += group.length;
    const breaks = group.slice(1).map((_, j) => (p % 4 === 3 && j === 0 ? '\n' : p % 7 === 6 && j === group.length - 2 ? '\n\n' : ''));
    out.push({ text: group.map((s, i) => s + (breaks[i] ?? '')).join(''), sentences: group, breaks });
  }
  return out;
}

/** The paragraph's translation as the sentences' translations joined: a space, or the source's line breaks. */
export function joinTranslations(paragraph: Paragraph, translations: readonly string[]): string {
  return translations.map((t, i) => t + (i < paragraph.breaks.length ? paragraph.breaks[i] || ' ' : '')).join('');
}
