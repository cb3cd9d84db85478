/**
 * Finding and loading a run's matrix.json. A run reference is, in order: nothing or "latest",
 * a matrix.json path, a run folder path, a run id (or unique prefix) inside reports/. Every
 * problem is a one-line UserError naming the file.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { RunReport, RunVerdicts, SCHEMA_VERSION } from '../domain.js';
import { UserError } from '../errors.js';
import { fromSchema, parseJson, readText } from '../fs/json-file.js';
import { historyUntil, verdictsOf, type RunHistory } from './history.js';
import { isRunId } from './run-id.js';
import { readLatest, VERDICTS_JSON } from './write.js';

export interface LoadedRun {
  report: RunReport;
  /** The matrix.json that was read. */
  file: string;
}

const MATRIX_JSON = 'matrix.json';

async function kind(p: string): Promise<'file' | 'dir' | undefined> {
  try {
    const st = await stat(p);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

async function runIds(reportsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(reportsDir, { withFileTypes: true });
    const ids: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'latest' || !e.isDirectory()) continue;
      if ((await kind(path.join(reportsDir, e.name, MATRIX_JSON))) === 'file') ids.push(e.name);
    }
    return ids.sort();
  } catch {
    return [];
  }
}

/** Path of the matrix.json a run reference names. */
async function resolveRun(reportsDir: string, runRef?: string): Promise<string> {
  if (runRef === undefined || runRef === 'latest') {
    const latest = (await readLatest(reportsDir)) ?? (await runIds(reportsDir)).at(-1);
    if (!latest) throw new UserError(`no runs in ${reportsDir}/ (run \`matrix run\` first, or name a matrix.json)`);
    return path.join(reportsDir, latest, MATRIX_JSON);
  }
  const asPath = await kind(runRef);
  if (asPath === 'file') return runRef;
  if (asPath === 'dir') return path.join(runRef, MATRIX_JSON);
  const ids = await runIds(reportsDir);
  const matches = ids.includes(runRef) ? [runRef] : ids.filter((id) => id.startsWith(runRef));
  if (matches.length === 1) return path.join(reportsDir, matches[0]!, MATRIX_JSON);
  if (matches.length > 1) throw new UserError(`run "${runRef}" is ambiguous in ${reportsDir}/: ${matches.join(', ')}`);
  throw new UserError(`no run "${runRef}": not a file, a folder, nor a run id in ${reportsDir}/`);
}

/** Parse and validate matrix.json text; `file` only names it in errors. */
function parseRun(text: string, file: string): RunReport {
  const data = parseJson(text, file);
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version < SCHEMA_VERSION) {
    // Version 1 named its axes in the schema (node, ort, tokenizer); its cells do not convert.
    throw new UserError(
      `${file}: written by an older matrix (schemaVersion ${version}, this matrix reads ${SCHEMA_VERSION}); re-run \`matrix run\` to write it again`,
    );
  }
  if (version !== SCHEMA_VERSION) {
    throw new UserError(`${file}: schemaVersion ${JSON.stringify(version ?? null)} is not supported (this matrix reads ${SCHEMA_VERSION})`);
  }
  return fromSchema(RunReport, data, file);
}

export async function readRun(reportsDir: string, runRef?: string): Promise<LoadedRun> {
  const file = await resolveRun(reportsDir, runRef);
  return { report: parseRun(await readText(file), file), file };
}

export interface KeptRuns<T = RunReport> {
  /** The runs that could be read, oldest first. */
  reports: T[];
  /** One line per matrix.json left out (older schema, corrupt, unreadable): `<file>: <why>`. */
  notes: string[];
}

/**
 * The runs kept in reports/ for a history: every `<run-id>/matrix.json` whose folder is named
 * like a run id (so `latest`, `examples` and other folders are not runs), the newest `limit` that
 * can be read, only those before `before` when given. A run that cannot be read is a note, not
 * an error: one bad folder must not hide the others.
 */
export async function readRuns(reportsDir: string, options: { limit: number; before?: string | undefined }): Promise<KeptRuns> {
  return keptRuns(reportsDir, options, async (id) => {
    const file = path.join(reportsDir, id, MATRIX_JSON);
    return parseRun(await readFile(file, 'utf8'), file);
  });
}

/**
 * What a history needs of the same runs as readRuns: each run's verdicts.json, or its matrix.json
 * where a run has none (written before verdicts.json was) or it does not parse.
 */
export async function readVerdicts(reportsDir: string, options: { limit: number; before?: string | undefined }): Promise<KeptRuns<RunVerdicts>> {
  return keptRuns(reportsDir, options, async (id) => {
    const parsed = await readFile(path.join(reportsDir, id, VERDICTS_JSON), 'utf8')
      .then((text) => RunVerdicts.safeParse(JSON.parse(text)))
      .catch(() => undefined);
    if (parsed?.success && parsed.data.runId === id) return parsed.data;
    const file = path.join(reportsDir, id, MATRIX_JSON);
    return verdictsOf(parseRun(await readFile(file, 'utf8'), file));
  });
}

async function keptRuns<T>(
  reportsDir: string,
  options: { limit: number; before?: string | undefined },
  read: (id: string) => Promise<T>,
): Promise<KeptRuns<T>> {
  const ids = (await runIds(reportsDir)).filter((id) => isRunId(id) && (options.before === undefined || id < options.before));
  const reports: T[] = [];
  const notes: string[] = [];
  for (const id of ids.reverse()) {
    if (reports.length >= options.limit) break;
    try {
      reports.unshift(await read(id));
    } catch (error) {
      const file = path.join(reportsDir, id, MATRIX_JSON);
      notes.unshift(error instanceof UserError ? error.message : `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return { reports, notes };
}

/**
 * What index.html of `report` shows as history: the runs kept in reports/ before it and the run
 * itself (from memory: `matrix run` renders it before it is on disk), at most `limit` runs.
 */
export async function historyFor(reportsDir: string, report: RunReport, limit: number): Promise<{ history: RunHistory; notes: string[] }> {
  const kept = await readVerdicts(reportsDir, { limit: Math.max(limit - 1, 0), before: report.runId });
  return { history: historyUntil(report, kept.reports, limit), notes: kept.notes };
}
