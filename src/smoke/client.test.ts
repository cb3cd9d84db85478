import { describe, expect, it } from 'vitest';
import { batchAgreement } from './client.js';

describe('batchAgreement', () => {
  const texts = ['你好。', '谢谢！', '这是一段测试文本。'];
  const singles = ['Hello.', 'Thank you!', 'This is a comporesion.'];
  it('agrees when every text answers as alone', () => expect(batchAgreement(texts, singles, 200, [...singles])).toEqual({ ok: true }));
  it('names the first text that differs, with both answers', () =>
    expect(batchAgreement(texts, singles, 200, ['Hello.', 'Thank you!', 'This is a comporession.'])).toEqual({
      ok: false,
      message:
        '1 of 3 texts translate differently in a batch than alone, first "这是一段测试文本。": "This is a comporession." in the batch, "This is a comporesion." alone',
    }));
  it('says what a failed batch answered', () =>
    expect(batchAgreement(texts, singles, 503, { error: 'queue_full' }).message).toBe('batch of 3 answered 503: {"error":"queue_full"}'));
});
