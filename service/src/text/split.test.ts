import { describe, expect, it } from 'vitest';
import { joinPieces, splitClauses, splitSentences } from './split.js';

describe('splitSentences', () => {
  it.each([
    ['你好。', [['你好。', '']]],
    [
      '我有三本书。他每天早上六点起床。我爱你。',
      [
        ['我有三本书。', ' '],
        ['他每天早上六点起床。', ' '],
        ['我爱你。', ''],
      ],
    ],
    [
      '你好。你呢？我很好！',
      [
        ['你好。', ' '],
        ['你呢？', ' '],
        ['我很好！', ''],
      ],
    ],
    [
      '他说：“走吧。”然后走了。',
      [
        ['他说：“走吧。”', ' '],
        ['然后走了。', ''],
      ],
    ],
    [
      '真的吗？！太好了……',
      [
        ['真的吗？！', ' '],
        ['太好了……', ''],
      ],
    ],
    [
      '第一行\n第二行。',
      [
        ['第一行', '\n'],
        ['第二行。', ''],
      ],
    ],
    [
      '段落一。\n\n段落二。',
      [
        ['段落一。', '\n\n'],
        ['段落二。', ''],
      ],
    ],
    [
      '一。二。\r\n三。',
      [
        ['一。', ' '],
        ['二。', '\n'],
        ['三。', ''],
      ],
    ],
    ['\n\n  你好。  \n\n', [['你好。', '']]],
    ['没有标点', [['没有标点', '']]],
    ['价格是3.5元。', [['价格是3.5元。', '']]],
    [
      'Hello! How are you?',
      [
        ['Hello!', ' '],
        ['How are you?', ''],
      ],
    ],
    ['  \n ', []],
  ])('%j', (text, expected) => {
    expect(splitSentences(text).map((p) => [p.text, p.separator])).toEqual(expected);
  });
});

describe('splitClauses', () => {
  it('splits on Chinese commas and keeps them', () => {
    expect(splitClauses('我们去了公园，然后吃了饭，最后回家').map((p) => [p.text, p.separator])).toEqual([
      ['我们去了公园，', ' '],
      ['然后吃了饭，', ' '],
      ['最后回家', ''],
    ]);
  });
});

describe('joinPieces', () => {
  it.each([
    [['Hello.', 'How are you?', 'Fine.'], [' ', '\n', ''], 'Hello. How are you?\nFine.'],
    [['One.', 'Two.'], ['\n\n', ''], 'One.\n\nTwo.'],
    [['One.', '', 'Three.'], [' ', ' ', ''], 'One. Three.'],
    [['One.', ''], ['\n', ''], 'One.'],
  ])('%j with %j', (translations, separators, expected) => {
    expect(joinPieces(translations, separators)).toBe(expected);
  });
});
