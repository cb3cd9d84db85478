/**
 * The output cleaner: what decoding leaves that should not reach a user, and nothing else.
 * Each rule is one named function so the table-driven test covers them one by one.
 */
export interface CleanRule {
  name: string;
  apply(text: string, specialTokens: readonly string[]): string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const cleanRules: readonly CleanRule[] = [
  {
    name: 'special tokens',
    apply: (text, specials) => (specials.length ? text.replace(new RegExp(specials.map(escapeRegExp).join('|'), 'g'), ' ') : text),
  },
  // Multilingual OPUS models write a target-language tag such as >>eng<< or >>cmn_Hans<<.
  { name: 'language tags', apply: (text) => text.replace(/>>[a-z]{2,3}(?:_[A-Za-z]+)?<</g, ' ') },
  // SentencePiece's word-boundary mark, left by libraries whose decoder does not replace it.
  { name: 'stray ▁', apply: (text) => text.replace(/\u2581/g, ' ') },
  { name: 'doubled spaces', apply: (text) => text.replace(/[ \t]{2,}/g, ' ') },
  // The same joins as transformers' clean_up_tokenization (so output equals transformers.js),
  // plus ; and :.
  {
    name: 'spaces before punctuation',
    apply: (text) =>
      text
        .replace(/ +([.,!?;:])/g, '$1')
        .replace(/ ' /g, "'")
        .replace(/ n't\b/g, "n't")
        .replace(/ '(m|s|ve|re)\b/g, "'$1"),
  },
  { name: 'outer spaces', apply: (text) => text.trim() },
];

export const DEFAULT_SPECIAL_TOKENS: readonly string[] = ['</s>', '<s>', '<pad>', '<unk>'];

export function cleanTranslation(text: string, specialTokens: readonly string[] = DEFAULT_SPECIAL_TOKENS): string {
  return cleanRules.reduce((t, rule) => rule.apply(t, specialTokens), text);
}
