/**
 * POST /translate bodies → a request or a problem. Pure, so every bad-input case is a table row.
 */
export interface Limits {
  /** Characters (code points) per text. */
  maxChars: number;
  /** Texts per request. */
  maxTexts: number;
  maxNumBeams: number;
  maxNewTokens: number;
}

export const DEFAULT_LIMITS: Limits = { maxChars: 5000, maxTexts: 64, maxNumBeams: 8, maxNewTokens: 512 };

export interface Problem {
  status: 400 | 413;
  code: string;
  message: string;
}

export interface TranslateRequest {
  /** True for `{"texts": [...]}`, which answers `{"translations": [...]}`. */
  batch: boolean;
  texts: string[];
  numBeams?: number;
  maxNewTokens?: number;
}

const problem = (status: Problem['status'], code: string, message: string): { problem: Problem } => ({ problem: { status, code, message } });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(value: unknown, where: string, limits: Limits): Problem | undefined {
  if (value === undefined || value === null) return problem(400, 'missing_text', `${where} is missing`).problem;
  if (typeof value !== 'string') return problem(400, 'invalid_text', `${where} must be a string`).problem;
  if (value.trim() === '') return problem(400, 'empty_text', `${where} is empty`).problem;
  if (LONE_SURROGATE.test(value)) return problem(400, 'invalid_text', `${where} is not valid Unicode (lone surrogate)`).problem;
  let chars = 0;
  for (const _ of value) if (++chars > limits.maxChars) return problem(413, 'text_too_long', `${where} is longer than ${limits.maxChars} characters`).problem;
  return undefined;
}

function checkInteger(body: Record<string, unknown>, key: string, max: number): { value?: number; problem?: Problem } {
  const value = body[key];
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    return problem(400, 'invalid_option', `${key} must be an integer from 1 to ${max}`);
  }
  return { value };
}

export function parseTranslateBody(body: unknown, limits: Limits = DEFAULT_LIMITS): { request: TranslateRequest } | { problem: Problem } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return problem(400, 'invalid_body', 'body must be a JSON object with "text" or "texts"');
  const b = body as Record<string, unknown>;
  if ('text' in b && 'texts' in b) return problem(400, 'invalid_body', 'send either "text" or "texts", not both');
  const beams = checkInteger(b, 'num_beams', limits.maxNumBeams);
  if (beams.problem) return { problem: beams.problem };
  const maxNew = checkInteger(b, 'max_new_tokens', limits.maxNewTokens);
  if (maxNew.problem) return { problem: maxNew.problem };
  const options = { numBeams: beams.value, maxNewTokens: maxNew.value };

  if ('texts' in b) {
    const texts = b.texts;
    if (!Array.isArray(texts)) return problem(400, 'invalid_texts', '"texts" must be an array of strings');
    if (texts.length === 0) return problem(400, 'empty_texts', '"texts" is empty');
    if (texts.length > limits.maxTexts) return problem(413, 'too_many_texts', `"texts" has ${texts.length} items; at most ${limits.maxTexts} per request`);
    for (const [i, t] of texts.entries()) {
      const p = checkText(t, `texts[${i}]`, limits);
      if (p) return { problem: p };
    }
    return { request: { batch: true, texts: texts as string[], ...options } };
  }
  const p = checkText(b.text, '"text"', limits);
  if (p) return { problem: p };
  return { request: { batch: false, texts: [b.text as string], ...options } };
}
