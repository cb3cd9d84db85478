/**
 * A file the user hands us (a report, a golden lock, the releases state) read and checked
 * against its schema, each problem one UserError line: the file, the place, what was expected.
 * `name` is the file as the message shows it.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { UserError } from '../errors.js';

const cannotRead = (name: string, error: unknown) =>
  new UserError(`${name}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);

/** The file's text; a missing file is a problem like any other. */
export async function readText(file: string, name = file): Promise<string> {
  return readFile(file, 'utf8').catch((error: unknown) => {
    throw cannotRead(name, error);
  });
}

/** The file's text, or undefined when there is no such file. */
export async function readTextIfThere(file: string, name = file): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cannotRead(name, error);
  }
}

export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${name}: not valid JSON (${(error as Error).message})`);
  }
}

/** `data` as the schema's type, or a UserError at the first problem's key path (and how many more). */
export function fromSchema<S extends z.ZodType>(schema: S, data: unknown, name: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const [issue, ...more] = parsed.error.issues;
  const where = issue!.path.length ? issue!.path.join('.') : '(root)';
  throw new UserError(`${name}: ${where}: ${issue!.message}${more.length ? ` (and ${more.length} more problems)` : ''}`);
}
