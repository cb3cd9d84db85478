import { describe, expect, it } from 'vitest';
import { codePoints, removeWhitespace, rstrip, splitWords } from './text.js';

describe('Python str semantics', () => {
  it.each([
    ['plain spaces', ' a  b ', ['a', 'b']],
    ['information separators are whitespace in Python', 'a\x1cb\x1fc', ['a', 'b', 'c']],
    ['NEL is whitespace', 'a\x85b', ['a', 'b']],
    ['BOM is not', 'a\uFEFFb', ['a\uFEFFb']],
    ['ideographic space', '我\u3000你', ['我', '你']],
    ['empty', '', []],
  ])('splitWords: %s', (_name, input, expected) => {
    expect(splitWords(input)).toEqual(expected);
  });

  it('rstrip and removeWhitespace use the same set', () => {
    expect(rstrip(' a b \x1f\n')).toBe(' a b');
    expect(removeWhitespace(' a b\x1c c\u3000')).toBe('abc');
  });

  it('codePoints counts an astral character once', () => {
    expect(codePoints('a😀𠀀')).toEqual(['a', '😀', '𠀀']);
  });
});
