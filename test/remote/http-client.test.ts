import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AtmnError } from '../../src/errors.ts';
import { HttpClient } from '../../src/remote/http-client.ts';
import { resolveTarget } from '../../src/remote/target.ts';
import { tempProject } from '../support/cli.ts';

/**
 * The HTTP client against a real server on 127.0.0.1 (issue #4 item 1): timeouts, retries
 * with backoff on 429 / 5xx for reads only, and a clear message for each failure status.
 */

const KEY = 'am_sk_test_httpclienttest0000wxyz';
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
});

/** A server answering with `handler`; counts the requests it received. */
async function serve(handler: Handler): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on('end', () => handler(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function client(url: string, options: { timeoutMs?: number } = {}): HttpClient {
  const cwd = tempProject();
  const target = resolveTarget({ flags: { url }, env: { AUTUMN_SECRET_KEY: KEY }, cwd, stateDir: join(cwd, '.atmn') });
  return new HttpClient(target, { userAgent: 'atmn-test', retryBaseMs: 1, ...options });
}

async function failure(promise: Promise<unknown>): Promise<AtmnError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AtmnError);
  return error as AtmnError;
}

const read = { method: 'POST', path: '/v1/plans.list', body: {}, idempotent: true, what: 'read the plans' } as const;
const write = { method: 'POST', path: '/v1/products', body: { id: 'pro' }, idempotent: false, what: 'create plan pro' } as const;

describe('HttpClient retries', () => {
  it('retries a read answered 429 (honouring Retry-After) and 503, then returns the answer', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      n += 1;
      if (n === 1) json(res, 429, { message: 'slow down', code: 'rate_limited' }, { 'retry-after': '0' });
      else if (n === 2) json(res, 503, { message: 'busy', code: 'internal_error' });
      else json(res, 200, { list: [] });
    });
    const http = client(s.url);
    expect(await http.send(read)).toEqual({ list: [] });
    expect(s.hits()).toBe(3);
    await http.close();
  });

  it('gives up on a read after 3 retries with the server\'s message', async () => {
    const s = await serve((_req, res) => json(res, 503, { message: 'down for maintenance', code: 'internal_error' }));
    const http = client(s.url);
    const error = await failure(http.send(read));
    expect(s.hits()).toBe(4);
    expect(error.code).toBe('internal_error');
    expect(error.message).toBe(`The server at ${s.url} refused to read the plans: down for maintenance (503 internal_error)`);
    expect(error.hint).toBe('The server failed; try again later. Re-running push converges.');
    await http.close();
  });

  it('never retries a write: one request, then the error', async () => {
    const s = await serve((_req, res) => json(res, 503, { message: 'busy', code: 'internal_error' }));
    const http = client(s.url);
    const error = await failure(http.send(write));
    expect(s.hits()).toBe(1);
    expect(error.message).toBe(`The server at ${s.url} refused to create plan pro: busy (503 internal_error)`);
    await http.close();
  });

  it('times out a silent server once, without retrying it', async () => {
    const s = await serve(() => {
      // never answers
    });
    const http = client(s.url, { timeoutMs: 150 });
    const error = await failure(http.send(read));
    expect(error.code).toBe('network_error');
    expect(error.message).toBe(`Could not reach ${s.url} to read the plans: no answer within 0.15 s.`);
    expect(error.hint).toBe('Is `atmn dev` (or your local server) running on that port?');
    expect(s.hits()).toBe(1); // one attempt: timeouts are not retried
    await http.close();
  });
});

describe('HttpClient failure messages', () => {
  it('403: names the refused action and says the key lacks permission', async () => {
    const s = await serve((_req, res) => json(res, 403, { message: 'Forbidden', code: 'forbidden' }));
    const error = await failure(client(s.url).send(write));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(`The server at ${s.url} refused to create plan pro: Forbidden (403 forbidden)`);
    expect(error.hint).toBe('The key is valid but not allowed to do this; check its permissions and environment (sandbox or live).');
  });

  it('404 without a code: the route is missing, so the URL is probably wrong', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
    });
    const error = await failure(client(s.url).send(read));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe(`The server at ${s.url} has no POST /v1/plans.list (needed to read the plans): Not Found`);
    expect(error.hint).toBe('Is the URL the base of an Autumn API, without /v1? (atmn adds /v1 itself.)');
  });

  it('400 validation errors keep the server message; hosted invalid_inputs reads as invalid_input', async () => {
    const s = await serve((_req, res) => json(res, 400, { message: 'items[0].price.amount must be positive', code: 'invalid_inputs' }));
    const error = await failure(client(s.url).send(write));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe(`The server at ${s.url} refused to create plan pro: items[0].price.amount must be positive (400 invalid_input)`);
    expect(error.details).toMatchObject({ status: 400, server_code: 'invalid_inputs', request: 'POST /v1/products' });
  });

  it('a server that echoes the key back never makes atmn print it', async () => {
    const s = await serve((_req, res) => json(res, 401, { message: `Key ${KEY} is revoked`, code: 'unauthorized' }));
    const error = await failure(client(s.url).send(read));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toBe(`The server at ${s.url} rejected AUTUMN_SECRET_KEY from the environment (am_sk_test_…wxyz): Key am_sk_test_…wxyz is revoked`);
    expect(`${error.message} ${error.hint}`).not.toContain(KEY);
  });

  it('a 200 that is not JSON is the wrong server, not a crash', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>welcome</html>');
    });
    const error = await failure(client(s.url).send(read));
    expect(error.code).toBe('remote_error');
    expect(error.message).toBe(`The server at ${s.url} answered 200 with a body that is not JSON while trying to read the plans.`);
  });
});
