import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, type ServerKeys } from './auth.ts';
import { toHttpFailure } from './http-errors.ts';
import { BodyTooLargeError, fillFromQuery, parseJsonBody, readBody } from './request-body.ts';
import type { Router } from './router.ts';

export interface HttpHandlerOptions {
  router: Router;
  keys: ServerKeys;
  /** Shown in 401 messages: where the valid key can be read. */
  keysFile: string;
  /** Largest accepted body in bytes; more gets 413. */
  bodyLimit: number;
  /** `GET /` (and `HEAD /`) answer for health checks; needs no key. */
  health: () => unknown;
  /** Where server defects (500s) are reported with their stack. */
  logDefect: (error: unknown) => void;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The node:http request listener. Order: health → auth → route → body → handler.
 * Every outcome is a JSON body (wire.md §1.5, §7.7); nothing a client sends can make it
 * throw past this function.
 */
export function createHttpHandler(options: HttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { router, keys, keysFile, bodyLimit } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const method = req.method ?? 'GET';
    if (pathname === '/' && (method === 'GET' || method === 'HEAD')) {
      req.resume();
      send(res, 200, options.health());
      return;
    }
    const env = authenticate(req.headers.authorization, keys, keysFile);
    const { route, params } = router.match(method, pathname);
    const raw = await readBody(req, bodyLimit);
    const parsed = parseJsonBody(raw, route.acceptsArray === true);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    const list = Array.isArray(parsed) ? parsed : null;
    const body = Array.isArray(parsed) ? {} : parsed;
    if (q !== -1) fillFromQuery(body, query);
    const result = await route.handler({ env, body, list, params, query, headers: req.headers });
    send(res, 200, result);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const failure = toHttpFailure(error);
      if (failure.defect) options.logDefect(error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BodyTooLargeError && error.fatal) {
        // The sender will not stop: answer, then cut the connection.
        res.setHeader('connection', 'close');
        res.on('finish', () => req.destroy());
      } else if (!req.complete) {
        req.resume();
      }
      send(res, failure.status, failure.body);
    });
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body ?? null);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
