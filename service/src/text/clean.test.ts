import { describe, expect, it } from 'vitest';
import { cleanRules, cleanTranslation } from './clean.js';

const rule = (name: string) => {
  const r = cleanRules.find((x) => x.name === name);
  if (!r) throw new Error(`no rule ${name}`);
  return (text: string) => r.apply(text, ['</s>', '<pad>', '<unk>']);
};

describe('each cleaner rule', () => {
  const table: [string, string, string][] = [
    ['special tokens', 'Hello</s>', 'Hello '],
    ['special tokens', '<pad>Hello <unk> world', ' Hello   world'],
    ['special tokens', 'a < pad > b', 'a < pad > b'],
    ['language tags', '>>eng<< Hello', '  Hello'],
    ['language tags', 'Hi >>cmn_Hans<<', 'Hi  '],
    ['language tags', 'a >> b << c', 'a >> b << c'],
    ['stray ▁', '▁Hello▁world', ' Hello world'],
    ['doubled spaces', 'Hello   world  !', 'Hello world !'],
    ['doubled spaces', 'line one\nline two', 'line one\nline two'],
    ['spaces before punctuation', 'Hello , world !', 'Hello, world!'],
    ['spaces before punctuation', 'Why ? Because .', 'Why? Because.'],
    ['spaces before punctuation', 'Note : this ; that', 'Note: this; that'],
    ['spaces before punctuation', "I do n't know", "I don't know"],
    ['spaces before punctuation', "it 's mine , I 'm sure", "it's mine, I'm sure"],
    ['spaces before punctuation', 'The year 2024 . 5 % more', 'The year 2024. 5 % more'],
    ['outer spaces', '  Hello.  ', 'Hello.'],
  ];
  it.each(table)('%s: %j → %j', (name, input, expected) => {
    expect(rule(name)(input)).toBe(expected);
  });
});

describe('cleanTranslation', () => {
  it.each([
    ['>>eng<< ▁Hello </s>', 'Hello'],
    ["▁I ▁do ▁n't ▁know ▁. </s><pad><pad>", "I don't know."],
    ['Tom is  here .', 'Tom is here.'],
    ['Ça va? «Oui»', 'Ça va? «Oui»'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(cleanTranslation(input, ['</s>', '<pad>', '<unk>'])).toBe(expected);
  });

  it('leaves a clean sentence untouched', () => {
    const s = 'She was asked to convince him to get his son, or someone else, to paint the house.';
    expect(cleanTranslation(s)).toBe(s);
  });
});
