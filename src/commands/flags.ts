/** Reading a command-line flag's value: one place, one wording for every command. */
import { UserError } from '../errors.js';

/** A whole number flag within [min, max]; anything else is one line naming the flag. */
export function positiveInt(value: unknown, flag: string, min = 1, max = Infinity): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(`${flag}: expected a whole number ${max === Infinity ? `≥ ${min}` : `from ${min} to ${max}`}, found ${JSON.stringify(value)}`);
  }
  return n;
}
