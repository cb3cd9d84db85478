/**
 * BLEU's tokenizers, keyed by the name sacreBLEU puts in the signature
 * (`tok:13a`). Add one by porting it and registering it here.
 */
import { splitWords } from './text.js';

export type Tokenizer = (line: string) => string;

// mteval-v13a.pl as ported by sacreBLEU (tokenizers/tokenizer_13a.py and
// tokenizer_re.py, unchanged from 1.4 to 2.6): the regexes run in this order,
// each over the output of the one before.
const PUNCTUATION = /([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/gu;
const PERIOD_COMMA_NOT_AFTER_DIGIT = /([^0-9])([.,])/gu;
const PERIOD_COMMA_NOT_BEFORE_DIGIT = /([.,])([^0-9])/gu;
const DASH_AFTER_DIGIT = /([0-9])(-)/gu;

/**
 * The WMT-standard tokenization: splits punctuation and symbols off words,
 * except periods and commas inside numbers ("3.5", "1,000") and dashes that do
 * not follow a digit ("well-known"). Apostrophes are split ("wasn ' t").
 */
export function tokenize13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  s = ` ${s} `;
  s = s.replace(PUNCTUATION, ' $1 ');
  s = s.replace(PERIOD_COMMA_NOT_AFTER_DIGIT, '$1 $2 ');
  s = s.replace(PERIOD_COMMA_NOT_BEFORE_DIGIT, ' $1 $2');
  s = s.replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return splitWords(s).join(' ');
}

export const tokenizers = {
  '13a': tokenize13a,
  /** Already-tokenized input: words are whatever whitespace separates. */
  none: (line: string) => line,
} satisfies Record<string, Tokenizer>;

export type TokenizerName = keyof typeof tokenizers;
