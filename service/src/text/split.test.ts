import { describe, expect, it } from 'vitest';
import { joinPieces, splitClauses, splitSentences } from './split.js';

describe('splitSentences', () => {
  it.each([
    ['你好。', [['你好。', '']]],
    ['你好。你呢？我很好！', [['你好。', ' '], ['你呢？', ' '], ['我很好！', '']]],
    ['他说：“走吧。”然后走了。', [['他说：“走吧。”', ' '], ['然后走了。', '']]],
    ['第一行\n第二行。', [['第一行', '\n'], ['第二行。', '']]],
    ['段落一。\n\n段落二。', [['段落一。', '\n'], ['段落二。', '']]],
    ['没有标点', [['没有标点', '']]],
    ['Hello! How are you?', [['Hello!', ' '], ['How are you?', '']]],
  ])('%j', (text, expected) => {
    expect(splitSentences(text).map((p) => [p.text, p.separator])).toEqual(expected);
  });
});

describe('splitClauses', () => {
  it('splits on Chinese commas and keeps them', () => {
    expect(splitClauses('我们去了公园，然后吃了饭，最后回家').map((p) => p.text)).toEqual(['我们去了公园，', '然后吃了饭，', '最后回家']);
  });
});

describe('joinPieces', () => {
  it('joins with spaces and keeps line breaks', () => {
    expect(joinPieces(['Hello.', 'How are you?', 'Fine.'], [' ', '\n', ''])).toBe('Hello. How are you?\nFine.');
  });
});
