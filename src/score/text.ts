/**
 * Python `str` semantics that sacreBLEU's numbers depend on. sacreBLEU splits,
 * strips and slices with Python's rules, which differ from JavaScript's in
 * small ways that change token and character counts:
 * - `str.split()`/`strip()` treat U+001C–U+001F and U+0085 as whitespace and
 *   U+FEFF as not; JavaScript's `\s` does the opposite.
 * - Python indexes strings by code point, JavaScript by UTF-16 unit, so a
 *   character n-gram over an emoji or a rare CJK ideograph would differ.
 */

/** The characters for which CPython's `str.isspace()` is true. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const RUN = new RegExp(`[${PY_SPACE}]+`, 'u');
const TRAILING = new RegExp(`[${PY_SPACE}]+$`, 'u');
const EVERY = new RegExp(`[${PY_SPACE}]+`, 'gu');

/** Python `s.split()`: words between runs of whitespace, no empty words. */
export function splitWords(s: string): string[] {
  return s.split(RUN).filter((w) => w !== '');
}

/** Python `s.rstrip()`. */
export function rstrip(s: string): string {
  return s.replace(TRAILING, '');
}

/** Python `''.join(s.split())`. */
export function removeWhitespace(s: string): string {
  return s.replace(EVERY, '');
}

/** The string as code points, Python's unit of indexing. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
