import { describe, expect, it } from 'vitest';
import { tokenize13a } from './tokenizers.js';

// Expected outputs are sacreBLEU 2.6.0's Tokenizer13a on the same input.
const cases: [string, string, string][] = [
  ['final period', 'The dog bit the man.', 'The dog bit the man .'],
  ['apostrophe stays inside a word', "It wasn't surprising.", "It wasn't surprising ."],
  ['comma and exclamation', 'Hello, world!', 'Hello , world !'],
  ['numbers keep . and ,', 'It costs $3.50, or 1,000 yen.', 'It costs $ 3.50 , or 1,000 yen .'],
  ['dash after a digit only', 'Pages 10-12 and a well-known co-op.', 'Pages 10 - 12 and a well-known co-op .'],
  ['quotes, brackets, ampersand', 'He said "hi" (quietly) & left; ok?', 'He said " hi " ( quietly ) & left ; ok ?'],
  ['XML entities', '&quot;Tom&quot; &amp; &lt;Mary&gt;', '" Tom " & < Mary >'],
  ['entities decoded once, in order', '&amp;quot;', '& quot ;'],
  ['hyphenated line break joins, newline is a space', 'line one-\nline two\nline three', 'line oneline two line three'],
  ['<skipped> removed', '<skipped> kept', 'kept'],
  ['abbreviations split', 'U.S.A. vs. e.g.', 'U . S . A . vs . e . g .'],
  ['period after a number', '3.5. Then 4,5,6.', '3.5 . Then 4,5,6 .'],
  ['period and comma between letters', 'a.b,c', 'a . b , c'],
  ['ASCII symbols', "Tom's 50% share: [x] {y} |z| ~w ^v `u` @t #s * + = _", "Tom's 50 % share : [ x ] { y } | z | ~ w ^ v ` u ` @ t # s * + = _"],
  ['CJK punctuation untouched', '日本語、テスト。 Done.', '日本語、テスト。 Done .'],
  ['whitespace runs collapse (tab, ideographic space)', '  spaced \t out \u3000 words  ', 'spaced out words'],
  ['no-break and thin spaces separate words', 'x\u00a0y\u2009z', 'x y z'],
  ['dash after a period is not after a digit', '1.-2.', '1 . -2 .'],
  ['ellipsis', 'Why?! ... Really?', 'Why ? ! . . . Really ?'],
  ['URL', 'https://example.com/a_b?c=d', 'https : / / example . com / a _ b ? c = d'],
  ['empty', '', ''],
];

describe('tokenize13a', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    expect(tokenize13a(input)).toBe(expected);
  });
});
