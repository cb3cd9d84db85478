/**
 * The HTTP API (express 4 and 5 alike: no async handlers left to express, no path wildcards).
 *   POST /translate  {"text"} → {"translation","model","elapsed_ms"}; {"texts"} → {"translations",…}
 *   GET  /health     503 until the model is loaded and warmed up, then 200
 *   GET  /version    service, revision, model (id, sha256, variant, ONNX files loaded), runtime
 *                    and package versions actually loaded
 *   GET  /           the two-panel page (static files from public/)
 * Every error is `{"error": {"code", "message"}}`; bad input never yields a 5xx.
 */
import express from 'express';
import { performance } from 'node:perf_hooks';
import { QueueFullError } from '../queue.js';
import { DEFAULT_LIMITS, parseTranslateBody } from './validate.js';
/** Bodies above this are refused by the JSON parser (64 texts × 5,000 CJK characters fit). */
const BODY_LIMIT = '2mb';
const RETRY_AFTER_S = '1';
function sendError(res, status, code, message, headers = {}) {
    res.status(status).set(headers).json({ error: { code, message } });
}
export function createApp(deps) {
    const limits = deps.limits ?? DEFAULT_LIMITS;
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use((_req, res, next) => {
        res.set({
            'X-Content-Type-Options': 'nosniff',
            'Referrer-Policy': 'no-referrer',
            'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
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
    app.post('/translate', express.json({ limit: BODY_LIMIT }), (req, res, next) => {
        handleTranslate(req, res).catch(next);
    });
    async function handleTranslate(req, res) {
        const phase = deps.phase();
        if (phase !== 'ready') {
            const draining = phase === 'draining';
            sendError(res, 503, draining ? 'shutting_down' : 'not_ready', draining ? 'the service is shutting down' : 'the model is still loading', { 'Retry-After': RETRY_AFTER_S });
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
        let out;
        try {
            out = await deps.submit(request.texts, { numBeams: request.numBeams, maxNewTokens: request.maxNewTokens });
        }
        catch (error) {
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
    for (const path of ['/translate', '/health', '/version']) {
        app.all(path, (req, res) => sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed on ${path}`, { Allow: path === '/translate' ? 'POST' : 'GET, HEAD' }));
    }
    app.use(express.static(deps.publicDir, { index: 'index.html', fallthrough: true, redirect: false }));
    app.use((req, res) => sendError(res, 404, 'not_found', `no route ${req.method} ${req.path}`));
    // Body-parser errors carry `type` and a 4xx `status`; anything else is the service's fault.
    app.use((error, _req, res, _next) => {
        const e = error;
        const status = e.status ?? e.statusCode;
        if (res.headersSent)
            return;
        if (e.type === 'entity.parse.failed')
            return sendError(res, 400, 'invalid_json', 'the body is not valid JSON');
        if (e.type === 'entity.too.large')
            return sendError(res, 413, 'payload_too_large', `the body is larger than ${BODY_LIMIT}`);
        if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
            return sendError(res, 415, 'unsupported_media_type', e.message ?? 'unsupported encoding');
        if (typeof status === 'number' && status >= 400 && status < 500)
            return sendError(res, status, 'bad_request', e.message ?? 'bad request');
        deps.onError?.(error);
        sendError(res, 500, 'internal', 'translation failed inside the service');
    });
    return app;
}
