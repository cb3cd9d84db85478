import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseTranslateBody } from './validate.js';

const limits = { ...DEFAULT_LIMITS, maxChars: 10, maxTexts: 3 };

describe('parseTranslateBody problems', () => {
  it.each([
    ['null', null, 400, 'invalid_body'],
    ['array', ['你好'], 400, 'invalid_body'],
    ['string', '你好', 400, 'invalid_body'],
    ['no text', {}, 400, 'missing_text'],
    ['text null', { text: null }, 400, 'missing_text'],
    ['text number', { text: 5 }, 400, 'invalid_text'],
    ['text object', { text: { a: 1 } }, 400, 'invalid_text'],
    ['text empty', { text: '' }, 400, 'empty_text'],
    ['text blank', { text: ' \n\t' }, 400, 'empty_text'],
    ['lone surrogate', { text: 'a\uD800b' }, 400, 'invalid_text'],
    ['text too long', { text: '一'.repeat(11) }, 413, 'text_too_long'],
    ['both', { text: 'a', texts: ['b'] }, 400, 'invalid_body'],
    ['texts not array', { texts: 'a' }, 400, 'invalid_texts'],
    ['texts empty', { texts: [] }, 400, 'empty_texts'],
    ['texts too many', { texts: ['a', 'b', 'c', 'd'] }, 413, 'too_many_texts'],
    ['texts item not string', { texts: ['a', 1] }, 400, 'invalid_text'],
    ['texts item empty', { texts: ['a', ''] }, 400, 'empty_text'],
    ['texts item too long', { texts: ['a', 'b'.repeat(11)] }, 413, 'text_too_long'],
    ['num_beams 0', { text: 'a', num_beams: 0 }, 400, 'invalid_option'],
    ['num_beams 1.5', { text: 'a', num_beams: 1.5 }, 400, 'invalid_option'],
    ['num_beams too big', { text: 'a', num_beams: 99 }, 400, 'invalid_option'],
    ['max_new_tokens string', { text: 'a', max_new_tokens: '5' }, 400, 'invalid_option'],
  ])('%s', (_name, body, status, code) => {
    const out = parseTranslateBody(body, limits);
    expect('problem' in out && out.problem).toMatchObject({ status, code });
  });
});

describe('parseTranslateBody requests', () => {
  it('single text', () => {
    expect(parseTranslateBody({ text: '你好' }, limits)).toEqual({ request: { batch: false, texts: ['你好'], numBeams: undefined, maxNewTokens: undefined } });
  });
  it('batch with options', () => {
    expect(parseTranslateBody({ texts: ['你好', '再见'], num_beams: 4, max_new_tokens: 20 }, limits)).toEqual({
      request: { batch: true, texts: ['你好', '再见'], numBeams: 4, maxNewTokens: 20 },
    });
  });
  it('counts characters, not UTF-16 units', () => {
    expect('request' in parseTranslateBody({ text: '😀'.repeat(10) }, limits)).toBe(true);
  });
});
