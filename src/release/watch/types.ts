/**
 * The watch of a release once it serves: each request nginx handled, attributed to the color that
 * answered (or failed) it, and the judgement of one interval. Shared by ./access-log.ts (nginx's
 * JSON access log → Served), ./analysis.ts (Served → a judgement, pure) and the canary and
 * observation loop in ../switch.ts, which records every judgement in the release state.
 */
import type { Color } from '../state.js';

/** One upstream attempt as clients saw it. A request nginx retried on the other color is two attempts. */
export interface Served {
  /** When nginx logged it, ms since the epoch. */
  at: number;
  color: Color;
  /** The upstream status, or nginx's own 502/504 when the color refused, reset or timed out. */
  status: number;
  /** The color's response time in ms (nginx's $upstream_response_time). */
  ms: number;
}

/** What one color did in one interval. */
export interface ColorFigures {
  requests: number;
  /** 5xx answers and timeouts. */
  errors: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
}

export type Decision = 'pass' | 'fail' | 'inconclusive' | 'abort';

/** One interval's judgement: the figures it saw, what it decided and the rule that decided it. */
export interface IntervalJudgement {
  decision: Decision;
  /** The rule's name as docs/releasing.md names it (e.g. `min-requests`, `error-rate`, `latency-p95`, `rank-test`, `guardrail`). */
  rule: string;
  /** One line for people: the figures against the threshold. */
  reason: string;
  canary: ColorFigures;
  /** The old color over the same interval; during the observation window, the previous release's own figures when known. */
  baseline?: ColorFigures;
}

/** release.analysis in matrix.yaml, rates as fractions (0.01 = 1%): the thresholds of ./analysis.ts. */
export interface AnalysisSettings {
  /** Requests each color needs in a judgement; fewer: inconclusive, and the interval extends. */
  minRequests: number;
  /** Inconclusive judgements in a row a step may extend by before it aborts (rule `inconclusive-limit`). */
  maxExtensions: number;
  /** Failing judgements in a row that abort. */
  failingIntervals: number;
  /** The share of requests a release may fail on its own (observation window). */
  errorBudget: number;
  /** How much more than the old color the new one may fail (absolute, 0.01 = 1 point). */
  errorMargin: number;
  /** An error rate whose 99% lower bound above this aborts at once. */
  guardrailErrorRate: number;
  guardrailMinRequests: number;
  p95Ratio: number;
  p95MarginMs: number;
  /** An absolute p95 budget for the observation window, when set. */
  p95BudgetMs?: number;
  /** The least Vargha–Delaney A (P(new slower than old)) that lets the rank test fail a judgement. */
  rankEffect: number;
}
