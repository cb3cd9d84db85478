import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { meets, parseCases } from './cases.js';

describe('parseCases', () => {
  it('reads the three expectation kinds', () => {
    const cases = parseCases(
      'cases:\n  - id: a\n    text: 你好\n    expect: {contains: Hello}\n  - id: b\n    text: 谢谢\n    expect: {regex: "^Thank"}\n  - id: c\n    text: 是\n    expect: {exact: "Yes."}\n',
      'c.yaml',
    );
    expect(cases.map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });
  // [what, cases file, the one line it gives]
  const BAD: [string, string, string][] = [
    [
      'bad yaml',
      'cases: [',
      'c.yaml:1:9: expected valid YAML, found a syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    ['empty file', '', 'c.yaml:1:1: expected a mapping, found null (an empty value)'],
    ['a list at the top', '- a\n', 'c.yaml:1:1: expected a mapping, found a list of 1'],
    ['missing text', 'cases:\n  - id: a\n    expect: {exact: x}\n', 'c.yaml:2:5: cases[0].text: expected a string, found nothing (a required key is missing)'],
    ['text of the wrong type', 'cases:\n  - id: a\n    text: 5\n    expect: {exact: x}\n', 'c.yaml:3:11: cases[0].text: expected a string, found number 5'],
    ['expect not a mapping', 'cases:\n  - id: a\n    text: x\n    expect: Hello\n', 'c.yaml:4:13: cases[0].expect: expected a mapping, found "Hello"'],
    [
      'unknown expectation',
      'cases:\n  - id: a\n    text: x\n    expect: {like: x}\n',
      'c.yaml:4:14: cases[0].expect.like: expected a known key, found unknown key "like"',
    ],
    [
      'no expectation',
      'cases:\n  - id: a\n    text: x\n    expect: {}\n',
      'c.yaml:4:13: cases[0].expect: expected exactly one of exact, contains or regex, found a mapping',
    ],
    [
      'two expectations',
      'cases:\n  - id: a\n    text: x\n    expect: {exact: x, regex: x}\n',
      'c.yaml:4:13: cases[0].expect: expected exactly one of exact, contains or regex, found a mapping',
    ],
    [
      'ignore-case not a boolean',
      'cases:\n  - id: a\n    text: x\n    expect: {contains: x, ignore-case: "yes"}\n',
      'c.yaml:4:40: cases[0].expect.ignore-case: expected true or false, found "yes"',
    ],
    [
      'bad id',
      'cases:\n  - id: "A B"\n    text: x\n    expect: {exact: x}\n',
      'c.yaml:2:9: cases[0].id: expected an id of lowercase letters, digits and dashes, found "A B"',
    ],
    ['empty list', 'cases: []\n', 'c.yaml:1:8: cases: expected at least 1 item(s), found an empty list'],
    [
      'bad regex',
      'cases:\n  - id: a\n    text: x\n    expect: {regex: "("}\n',
      'c.yaml:4:21: cases[0].expect.regex: expected a JavaScript regular expression (Invalid regular expression: /(/: Unterminated group), found "("',
    ],
    [
      'duplicate id',
      'cases:\n  - id: a\n    text: x\n    expect: {exact: x}\n  - id: a\n    text: y\n    expect: {exact: y}\n',
      'c.yaml:5:9: cases[1].id: expected a unique id, found "a" again (first at cases[0])',
    ],
    [
      'alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\ncases: [*c, *c]\n',
      'c.yaml:2:7: expected aliases (*name) that repeat at most 100 values, found more here (Excessive alias count indicates a resource exhaustion attack)',
    ],
    [
      'a huge file',
      `cases:\n${'  - {id: a, text: x, expect: {exact: x}}\n'.repeat(3000)}`,
      'c.yaml:2440:36: expected at most 100000 characters of YAML, found 123007 (the limit is crossed here)',
    ],
  ];
  it.each(BAD)('%s', (_n, text, line) => expect(() => parseCases(text, 'c.yaml')).toThrow(new UserError(line)));
});

describe('meets', () => {
  it.each([
    [{ exact: 'Yes.' }, 'Yes.', true],
    [{ exact: 'Yes.' }, 'Yes', false],
    [{ contains: 'hello' }, 'Hello!', false],
    [{ contains: 'hello', 'ignore-case': true }, 'Hello!', true],
    [{ regex: '^Thank' }, 'Thanks.', true],
  ])('%j on %j → %s', (e, out, ok) => expect(meets(e, out).ok).toBe(ok));
});
