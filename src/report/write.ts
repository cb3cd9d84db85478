/**
 * reports/<run-id>/ on disk. A new run folder is filled under a temporary name and renamed into
 * place, so reports/ only ever holds complete runs; re-rendering an existing run replaces file by
 * file. reports/latest is a relative symlink to the newest run id, or a text file holding the id
 * where symlinks are not allowed (some Windows and CI file systems).
 */
import { randomBytes } from 'node:crypto';
import { appendFile, lstat, mkdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunReport } from '../domain.js';
import { verdictsOf, type RunHistory } from './history.js';
import type { RenderOptions } from './types.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { FILE_FORMATS, reporters, type Format } from './reporters.js';

export interface WriteResult {
  dir: string;
  files: string[];
  /** How reports/latest points at the run now ('kept' when a newer run already was latest). */
  latest: 'symlink' | 'file' | 'kept';
}

const LATEST = 'latest';

/** What the files of a run are rendered with besides the run: read from reports/ by the caller. */
export type FileContext = Pick<RenderOptions, 'history' | 'previous'>;

function render(report: RunReport, format: Format, context: FileContext): string {
  return reporters[format].render(report, { color: false, ...context });
}

function checkRunId(runId: string): void {
  if (!runId || runId.startsWith('.') || runId === LATEST || /[\\/]/.test(runId)) {
    throw new UserError(`run id "${runId}" cannot be a folder name in reports/`);
  }
}

/** Beside matrix.json, whenever it is written: what later runs' histories read of this one. */
export const VERDICTS_JSON = 'verdicts.json';

/**
 * (Re)write the given formats into an existing run folder, each file atomically. `history` (the
 * runs kept up to this one, read by the caller) goes into index.html, `previous` (the run kept
 * before this one) into matrix.md. verdicts.json goes with matrix.json.
 */
export async function writeFormats(runDir: string, report: RunReport, formats: Format[] = FILE_FORMATS, context: FileContext = {}): Promise<string[]> {
  const files: string[] = [];
  for (const format of formats) {
    const file = reporters[format].file;
    if (!file) continue;
    await writeFileAtomic(path.join(runDir, file), render(report, format, context));
    files.push(path.join(runDir, file));
    if (format === 'json') {
      await writeFileAtomic(path.join(runDir, VERDICTS_JSON), `${JSON.stringify(verdictsOf(report))}\n`);
      files.push(path.join(runDir, VERDICTS_JSON));
    }
  }
  return files;
}

/** The run id reports/latest points at, if any. */
export async function readLatest(reportsDir: string): Promise<string | undefined> {
  const link = path.join(reportsDir, LATEST);
  try {
    const st = await lstat(link);
    if (st.isSymbolicLink()) return path.basename(await readlink(link));
    if (st.isFile()) return (await readFile(link, 'utf8')).trim() || undefined;
  } catch {
    /* no latest yet */
  }
  return undefined;
}

async function updateLatest(reportsDir: string, runId: string): Promise<WriteResult['latest']> {
  const current = await readLatest(reportsDir);
  // Run ids sort by time: merging or re-rendering an older run must not move "latest" back.
  // Only the timestamp counts: two runs in the same second differ by a random suffix, and the
  // one written last is the newest.
  const stamp = (id: string) => id.split('-')[0]!;
  if (current !== undefined && stamp(current) > stamp(runId)) return 'kept';
  const link = path.join(reportsDir, LATEST);
  const temp = path.join(reportsDir, `.latest-${randomBytes(3).toString('hex')}`);
  try {
    await symlink(runId, temp, 'dir');
    await rename(temp, link);
    return 'symlink';
  } catch {
    await rm(temp, { force: true });
    await writeFile(temp, `${runId}\n`);
    await rename(temp, link);
    return 'file';
  }
}

export interface WriteOptions {
  /** Append matrix.md here (GitHub's job summary); defaults to $GITHUB_STEP_SUMMARY. */
  stepSummary?: string | undefined;
  /** The cells' verdicts across the runs kept up to this one, for index.html (else this run alone). */
  history?: RunHistory | undefined;
  /** The run kept before this one, for matrix.md's changes (else it says there is none). */
  previous?: RunReport | undefined;
}

/** Write matrix.json (with verdicts.json), matrix.md, junit.xml and index.html of a run and point reports/latest at it. */
export async function writeRun(
  reportsDir: string,
  report: RunReport,
  options: WriteOptions = { stepSummary: process.env.GITHUB_STEP_SUMMARY },
): Promise<WriteResult> {
  checkRunId(report.runId);
  await mkdir(reportsDir, { recursive: true });
  const dir = path.join(reportsDir, report.runId);
  const temp = path.join(reportsDir, `.tmp-${report.runId}-${randomBytes(3).toString('hex')}`);
  await mkdir(temp);
  const context: FileContext = { history: options.history, previous: options.previous };
  let files: string[];
  try {
    const written = await writeFormats(temp, report, FILE_FORMATS, context);
    await rename(temp, dir);
    files = written.map((f) => path.join(dir, path.basename(f)));
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    files = await writeFormats(dir, report, FILE_FORMATS, context);
  }
  const latest = await updateLatest(reportsDir, report.runId);
  if (options.stepSummary) await appendFile(options.stepSummary, `${render(report, 'md', context)}\n`);
  return { dir, files, latest };
}
