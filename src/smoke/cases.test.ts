import { describe, expect, it } from 'vitest';
import { meets, parseCases } from './cases.js';

describe('parseCases', () => {
  it('reads the three expectation kinds', () => {
    const cases = parseCases('cases:\n  - id: a\n    text: 你好\n    expect: {contains: Hello}\n  - id: b\n    text: 谢谢\n    expect: {regex: "^Thank"}\n  - id: c\n    text: 是\n    expect: {exact: "Yes."}\n', 'c.yaml');
    expect(cases.map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });
  it.each([
    ['bad yaml', 'cases: [', /^c\.yaml:1:\d+: invalid YAML/],
    ['missing text', 'cases:\n  - id: a\n    expect: {exact: x}\n', /^c\.yaml:2:\d+: cases\.0\.text: /],
    ['unknown expectation', 'cases:\n  - id: a\n    text: x\n    expect: {like: x}\n', /^c\.yaml:4:\d+: cases\.0\.expect/],
    ['bad id', 'cases:\n  - id: "A B"\n    text: x\n    expect: {exact: x}\n', /cases\.0\.id: an id of lowercase/],
    ['empty list', 'cases: []\n', /cases: /],
    ['bad regex', 'cases:\n  - id: a\n    text: x\n    expect: {regex: "("}\n', /expected a regular expression/],
    ['duplicate id', 'cases:\n  - id: a\n    text: x\n    expect: {exact: x}\n  - id: a\n    text: y\n    expect: {exact: y}\n', /duplicate id "a"/],
  ])('%s', (_n, text, err) => expect(() => parseCases(text, 'c.yaml')).toThrow(err));
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
