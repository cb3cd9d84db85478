/**
 * GET /metrics in the Prometheus text format (prom-client), in a registry of the service's own
 * rather than prom-client's global one, so that two services in one process (tests, the
 * benchmark) keep their counts apart. Each figure is counted where it is known: requests by the
 * HTTP layer when the response closes, encoder/decoder passes by the translator, merges and
 * rejections by the queue. The queue depth and the info labels are read at scrape time, so they
 * cost nothing per request.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Request duration buckets in seconds, 5 ms to 10 s, about 1.5–2× apart: a short sentence answers
 * in 10–50 ms, a 64-text batch or a queued request in seconds. A quantile estimated from them
 * is off by at most one bucket's width.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10];
/** Sentences per encoder/decoder pass and texts per queue run: MAX_BATCH is at most 256. */
const SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Route label of a request no route matched and express.static did not answer either. */
export const UNMATCHED = 'unmatched';
/** Route label of what express.static answered (the page and its files). */
export const STATIC = 'static';

/**
 * The route label of a finished request: the template of the route express matched (never the
 * raw URL, so the label has as many values as there are routes), else `static` or `unmatched`.
 * `matched` is express's `req.route` (set by express 4 and 5 alike when a route dispatches).
 */
export function routeLabel(matched: unknown, status: number): string {
  const path = (matched as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return path;
  return status === 404 ? UNMATCHED : STATIC;
}

/** What the info metric needs of the /version document (service.ts builds both from one object). */
export interface VersionFields {
  service: string;
  revision: string;
  model: { id: string; variant: string } | null;
  runtime: { node: string; 'onnxruntime-node': string | null; tokenizer: { package: string; version: string } | null };
}

export type InfoLabels = Record<(typeof INFO_LABELS)[number], string>;
const INFO_LABELS = ['service', 'release', 'revision', 'model', 'variant', 'node', 'onnxruntime_node', 'tokenizer', 'tokenizer_version'] as const;

/**
 * The info metric's labels: what /version says, plus the release version (MATRIX_RELEASE_VERSION;
 * empty outside a release). Empty strings for what is not loaded yet.
 */
export function infoLabels(version: VersionFields, release: string): InfoLabels {
  return {
    service: version.service,
    release,
    revision: version.revision,
    model: version.model?.id ?? '',
    variant: version.model?.variant ?? '',
    node: version.runtime.node,
    onnxruntime_node: version.runtime['onnxruntime-node'] ?? '',
    tokenizer: version.runtime.tokenizer?.package ?? '',
    tokenizer_version: version.runtime.tokenizer?.version ?? '',
  };
}

export interface MetricSources {
  info(): InfoLabels;
  /** Requests waiting behind the running batch. */
  queueDepth(): number;
}

export interface ServiceMetrics {
  contentType: string;
  render(): Promise<string>;
  request(route: string, method: string, status: number, seconds: number): void;
  /** One encoder/decoder pass of `sentences` rows. */
  pass(sentences: number): void;
  /** One queue run of `texts` texts (the requests merged into it). */
  queueRun(texts: number): void;
  queueRejected(): void;
}

export function createMetrics(sources: MetricSources): ServiceMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const requestLabels = ['route', 'method', 'status'] as const;
  const requests = new Counter({
    name: 'translation_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: requestLabels,
    registers,
  });
  const duration = new Histogram({
    name: 'translation_http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by route template, method and status',
    labelNames: requestLabels,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const sentences = new Counter({ name: 'translation_sentences_total', help: 'Sentences (or clauses of an overlong one) translated by the model', registers });
  const passes = new Histogram({ name: 'translation_batch_sentences', help: 'Sentences per encoder/decoder pass', buckets: SIZE_BUCKETS, registers });
  const runs = new Histogram({
    name: 'translation_queue_batch_texts',
    help: 'Texts per queue run (waiting requests merged into one translate call)',
    buckets: SIZE_BUCKETS,
    registers,
  });
  const rejections = new Counter({ name: 'translation_queue_rejections_total', help: 'Requests refused with 503 queue_full', registers });
  new Gauge({
    name: 'translation_queue_depth',
    help: 'Requests waiting behind the running batch',
    registers,
    collect() {
      this.set(sources.queueDepth());
    },
  });
  new Gauge({
    name: 'translation_service_info',
    help: 'Always 1; the labels say which release, model and runtime versions this process serves',
    labelNames: INFO_LABELS,
    registers,
    collect() {
      // The labels change once the model is loaded: one series at a time.
      this.reset();
      this.set(sources.info(), 1);
    },
  });
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    request(route, method, status, seconds) {
      const labels = { route, method, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
    pass(n) {
      sentences.inc(n);
      passes.observe(n);
    },
    queueRun: (texts) => runs.observe(texts),
    queueRejected: () => rejections.inc(),
  };
}
