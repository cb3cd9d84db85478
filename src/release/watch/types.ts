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
