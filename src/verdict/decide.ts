/**
 * The one place where what happened to a cell becomes its verdict. The runner (and a release's
 * check, through the same src/smoke/attempt.ts) records how far the cell got and what it saw
 * (a Trace); this pure function decides. Rules:
 * - a backend that stopped answering, a registry that could not be reached, a full disk or a
 *   process killed from outside is the machine's fault: `infra-error`, never the packages';
 * - a death by signal (or the OOM killer) is a `crash`, at any phase;
 * - a plain exit before /health answered is a `start-error`; after it, a `crash`;
 * - a deadline is a `timeout`; checks decide the rest (./checks.ts verdictOf).
 */
import type { ExitInfo, PrepareFault } from '../backends/types.js';
import type { Check, Verdict } from '../domain.js';
import { verdictOf } from './checks.js';

export type Trace =
  | { ended: 'skipped'; reason: string }
  | { ended: 'interrupted' }
  | { ended: 'prepare'; fault: PrepareFault; message: string; backendUp: boolean; deadlineMs: number }
  | { ended: 'start'; message: string; backendUp: boolean }
  | { ended: 'health'; message: string; exit?: ExitInfo; timedOut: boolean; backendUp: boolean; logLine: string }
  | { ended: 'smoke'; message: string; exit?: ExitInfo; timedOut: boolean; backendUp: boolean; deadlineMs: number }
  /** The checks ran, and the backend stopped answering while the cell stopped: its exit is unknown. */
  | { ended: 'stop'; message: string; backendUp: false }
  /** `exit` is how the service stopped after its checks; a release keeps serving and has none. */
  | { ended: 'checked'; checks: Check[]; exit?: ExitInfo; attempt: number };

export interface Decision {
  verdict: Verdict;
  reason: string;
}

type ExitKind =
  | { kind: 'oom' }
  | { kind: 'signal'; name: string }
  /** SIGKILL without the OOM killer: someone outside the cell (or our own stop's last resort). */
  | { kind: 'killed' }
  /** SIGTERM: our own stop. */
  | { kind: 'stopped' }
  | { kind: 'code'; code: number | null };

// A process under Docker's init (or a shell) reports a death by signal N as exit 128+N.
const SIGNAL_BY_CODE: Record<number, string> = {
  132: 'SIGILL',
  133: 'SIGTRAP',
  134: 'SIGABRT',
  135: 'SIGBUS',
  136: 'SIGFPE',
  137: 'SIGKILL',
  139: 'SIGSEGV',
  143: 'SIGTERM',
};

function exitKind(exit: ExitInfo): ExitKind {
  if (exit.oomKilled) return { kind: 'oom' };
  const name = exit.signal ?? (exit.code !== null ? SIGNAL_BY_CODE[exit.code] : undefined);
  if (name === 'SIGTERM') return { kind: 'stopped' };
  if (name === 'SIGKILL') return { kind: 'killed' };
  if (name) return { kind: 'signal', name };
  return { kind: 'code', code: exit.code };
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** A death during start or smoke: crash, infra (killed from outside) or undefined (a plain exit). */
function death(exit: ExitInfo | undefined, during: string): Decision | undefined {
  if (!exit) return undefined;
  const k = exitKind(exit);
  if (k.kind === 'oom') return { verdict: 'crash', reason: `service died with SIGKILL (out of memory) ${during}` };
  if (k.kind === 'signal') return { verdict: 'crash', reason: `service died with ${k.name} ${during}` };
  if (k.kind === 'killed' || k.kind === 'stopped')
    return { verdict: 'infra-error', reason: `service was killed from outside the cell ${during} (${k.kind === 'killed' ? 'SIGKILL' : 'SIGTERM'})` };
  return undefined;
}

export function decide(t: Trace): Decision {
  switch (t.ended) {
    case 'skipped':
      return { verdict: 'skipped', reason: t.reason };
    case 'interrupted':
      return { verdict: 'skipped', reason: 'interrupted' };
  }
  if (t.ended !== 'checked' && !t.backendUp) return { verdict: 'infra-error', reason: `the backend stopped answering during ${t.ended}: ${t.message}` };
  switch (t.ended) {
    case 'prepare':
      if (t.fault === 'infra') return { verdict: 'infra-error', reason: t.message };
      if (t.fault === 'deadline') return { verdict: 'timeout', reason: `install/build did not finish within ${seconds(t.deadlineMs)}` };
      return { verdict: t.fault === 'install' ? 'install-error' : 'build-error', reason: t.message };
    case 'start':
      return { verdict: 'start-error', reason: `could not start: ${t.message}` };
    case 'health': {
      const died = death(t.exit, 'while starting');
      if (died) return died;
      if (t.exit) return { verdict: 'start-error', reason: `${t.message}: ${t.logLine}` };
      return { verdict: 'timeout', reason: t.message };
    }
    case 'smoke': {
      const died = death(t.exit, 'during smoke checks');
      if (died) return died;
      if (t.exit) return { verdict: 'crash', reason: `service exited with code ${t.exit.code ?? '-'} during smoke checks` };
      if (t.timedOut) return { verdict: 'timeout', reason: `smoke checks did not finish within ${seconds(t.deadlineMs)}` };
      return { verdict: 'fail', reason: `smoke checks failed: ${t.message}` };
    }
    case 'checked': {
      const k: ExitKind = t.exit ? exitKind(t.exit) : { kind: 'code', code: null };
      // After the checks the runner stops the service: SIGTERM (or SIGKILL when it did not drain) is ours.
      if (k.kind === 'oom') return { verdict: 'crash', reason: 'service died with SIGKILL (out of memory)' };
      return verdictOf(t.checks, { exitSignal: k.kind === 'signal' ? k.name : null, attempt: t.attempt });
    }
  }
}

/** Verdicts worth another attempt: the cell's own behaviour that may not repeat. */
export const RETRYABLE: ReadonlySet<Verdict> = new Set(['fail', 'timeout', 'crash', 'start-error']);
