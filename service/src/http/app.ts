/**
 * The HTTP API (express 4 and 5 alike: no async handlers left to express, no path wildcards).
 *   POST /translate  {"text"} → {"translation","model","elapsed_ms"}; {"texts"} → {"translations",…}
 *   GET  /health     503 until the model is loaded and warmed up, then 200
 *   GET  /version    service, revision, model (id, sha256, variant, ONNX files loaded), runtime
 *                    and package versions actually loaded
 *   GET  /metrics    Prometheus text format (../metrics.ts), unless METRICS=off
 *   GET  /           the two-panel page (static files from public/)
 * Every error is `{"error": {"code", "message"}}`; bad input never yields a 5xx.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { routeLabel, type ServiceMetrics } from '../metrics.js';
import { QueueFullError } from '../queue.js';
import type { TranslateOptions } from '../translator.js';
import { DEFAULT_LIMITS, parseTranslateBody, type Limits } from './validate.js';

export type Phase = 'loading' | 'ready' | 'draining' | 'failed';

export interface AppDeps {
  phase(): Phase;
  /** The /version document (fields the service does not know yet are null). */
  version(): unknown;
  modelId(): string | null;
  submit(texts: readonly string[], options: TranslateOptions): Promise<string[]>;
  publicDir: string;
  limits?: Limits;
  /** Called with unexpected errors (the answer is a 500). */
  onError?(error: unknown): void;
  /** Counts every request and serves GET /metrics; absent, neither happens. */
  metrics?: Pick<ServiceMetrics, 'contentType' | 'render' | 'request'>;
}

/** Bodies above this are refused by the JSON parser (64 texts × 5,000 CJK characters fit). */
const BODY_LIMIT = '2mb';
const RETRY_AFTER_S = '1';
/** The status counted for a request whose client left before the answer was sent: nginx's "client closed request". */
const CLIENT_CLOSED = 499;

function sendError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).json({ error: { code, message } });
}

export function createApp(deps: AppDeps): express.Express {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const metrics = deps.metrics;
  if (metrics) {
    app.use((req, res, next) => {
      const started = performance.now();
      // 'close' comes for every response, answered or abandoned; the route is known by then.
      res.once('close', () => {
        const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
        metrics.request(routeLabel(req.route, status), req.method, status, (performance.now() - started) / 1000);
      });
      next();
    });
  }
  app.use((_req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy':
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    });
    next();
  });

  app.get('/health', (_req, res) => {
    const phase = deps.phase();
    res.status(phase === 'ready' ? 200 : 503).json({ status: phase === 'ready' ? 'ok' : phase });
  });

  app.get('/version', (_req, res) => {
    res.json(deps.version());
  });

  if (metrics) {
    app.get('/metrics', (_req, res, next) => {
      metrics.render().then((text) => res.type(metrics.contentType).send(text), next);
    });
  }

  app.post('/translate', express.json({ limit: BODY_LIMIT }), (req, res, next) => {
    handleTranslate(req, res).catch(next);
  });

  async function handleTranslate(req: Request, res: Response): Promise<void> {
    const phase = deps.phase();
    if (phase !== 'ready') {
      const draining = phase === 'draining';
      sendError(res, 503, draining ? 'shutting_down' : 'not_ready', draining ? 'the service is shutting down' : 'the model is still loading', {
        'Retry-After': RETRY_AFTER_S,
      });
      return;
    }
    if (req.headers['content-type'] !== undefined && !req.is('application/json')) {
      sendError(res, 415, 'unsupported_media_type', 'send the body as application/json');
      return;
    }
    const parsed = parseTranslateBody(req.body, limits);
    if ('problem' in parsed) {
      sendError(res, parsed.problem.status, parsed.problem.code, parsed.problem.message);
      return;
    }
    const { request } = parsed;
    const started = performance.now();
    let out: string[];
    try {
      out = await deps.submit(request.texts, { numBeams: request.numBeams, maxNewTokens: request.maxNewTokens });
    } catch (error) {
      if (error instanceof QueueFullError) {
        sendError(res, 503, 'queue_full', 'too many requests are waiting; retry shortly', { 'Retry-After': RETRY_AFTER_S });
        return;
      }
      throw error;
    }
    const elapsed = Math.round((performance.now() - started) * 10) / 10;
    const model = deps.modelId();
    res.json(request.batch ? { translations: out, model, elapsed_ms: elapsed } : { translation: out[0], model, elapsed_ms: elapsed });
  }

  for (const path of ['/translate', '/health', '/version', ...(metrics ? ['/metrics'] : [])]) {
    app.all(path, (req, res) =>
      sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, { Allow: path === '/translate' ? 'POST' : 'GET, HEAD' }),
    );
  }

  app.use(express.static(deps.publicDir, { index: 'index.html', fallthrough: true, redirect: false }));

  app.use((req, res) => sendError(res, 404, 'not_found', `no route ${req.method} ${req.path}`));

  // Body-parser errors carry `type` and a 4xx `status`; anything else is the service's fault.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = error as { type?: string; status?: number; statusCode?: number; message?: string };
    const status = e.status ?? e.statusCode;
    if (res.headersSent) return;
    if (e.type === 'entity.parse.failed') return sendError(res, 400, 'invalid_json', 'the body is not valid JSON');
    if (e.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', `the body is larger than ${BODY_LIMIT}`);
    if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
      return sendError(res, 415, 'unsupported_media_type', e.message ?? 'unsupported encoding');
    if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, status, 'bad_request', e.message ?? 'bad request');
    deps.onError?.(error);
    sendError(res, 500, 'internal', 'translation failed inside the service');
  });
  return app;
}
