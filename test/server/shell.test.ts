import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDevServer, type DevServerProcess } from './support/dev-server.ts';

// The HTTP shell of `atmn dev` (issue 5 items 1, 3, 4): health, auth, routing, bodies.
describe('atmn dev HTTP shell', () => {
  let server: DevServerProcess;
  beforeAll(async () => {
    server = await startDevServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('GET / answers a health document without a key', async () => {
    const res = await server.request('GET', '/', undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toMatchObject({ name: 'atmn dev', version: '0.1.0', status: 'ok', catalog: { features: 0, plans: 0 } });
    // HEAD / is what many health checkers send: the same status and headers, no body.
    const head = await server.request('HEAD', '/', undefined, { key: null });
    expect([head.status, head.text, head.headers.get('content-type')]).toEqual([200, '', 'application/json; charset=utf-8']);
  });

  test('the start banner prints the URL, the sandbox key and a first request', () => {
    expect(server.stdout()).toContain(`Autumn-compatible API at ${server.url}`);
    expect(server.stdout()).toMatch(/key\s+am_sk_test_[A-Za-z0-9_-]{20,}/);
    expect(server.stdout()).toContain(`curl -s ${server.url}/v1/customers.get_or_create -H "Authorization: Bearer ${server.key}"`);
    const keys = JSON.parse(readFileSync(join(server.dataDir, 'keys.json'), 'utf8'));
    expect(keys.sandbox).toBe(server.key);
    expect(keys.live).toMatch(/^am_sk_live_/);
  });

  test.each([
    ['no header', undefined],
    ['not Bearer', 'Basic abc'],
    ['empty bearer', 'Bearer '],
    ['a wrong key', 'Bearer am_sk_test_wrong'],
  ])('401 unauthorized with %s, and the key is never echoed', async (_label, header) => {
    const res = await server.post('/v1/features.list', {}, { key: null, headers: header ? { authorization: header } : {} });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
    expect(res.body.message).toContain('keys.json');
    expect(res.text).not.toContain(server.key);
  });

  test('the live key acts on the live environment, separate from sandbox', async () => {
    const live = JSON.parse(readFileSync(join(server.dataDir, 'keys.json'), 'utf8')).live as string;
    const me = await server.request('GET', '/v1/organization/me', undefined, { key: live });
    expect(me.body).toEqual({ id: 'org_atmn_dev', name: 'atmn dev', slug: 'atmn-dev', env: 'live', user: null });
    await server.post('/v1/customers.get_or_create', { customer_id: 'only_live' }, { key: live });
    expect((await server.post('/v1/customers.get', { customer_id: 'only_live' })).status).toBe(404);
    expect((await server.post('/v1/customers.get', { customer_id: 'only_live' }, { key: live })).body.env).toBe('live');
  });

  test('unknown routes and unknown methods on known paths are 404 not_found, never 405 or 5xx', async () => {
    for (const [method, path] of [['POST', '/v1/nope'], ['GET', '/v1/features.list'], ['PUT', '/v1/customers/x'], ['POST', '/cli/api-keys'], ['POST', '/v1/events/list']]) {
      const res = await server.request(method!, path!);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found' });
      expect(res.body.message).toContain(path);
    }
  });

  test('a body-less POST with content-type json means {} (atmn features.list)', async () => {
    const res = await server.request('POST', '/v1/features.list', undefined, { raw: '' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ list: [] });
  });

  test('GET and DELETE bodies are read; query parameters fill in missing keys', async () => {
    await server.post('/v1/customers.get_or_create', { customer_id: 'q_1' });
    await server.post('/v1/customers.get_or_create', { customer_id: 'q_2' });
    const viaQuery = await server.request('GET', '/v1/customers?limit=1&offset=0');
    expect(viaQuery.body).toMatchObject({ limit: 1, offset: 0, has_more: true });
    const viaBody = await server.request('GET', '/v1/customers', { limit: 2 });
    expect(viaBody.body.limit).toBe(2);
    const removed = await server.request('DELETE', '/v1/customers/q_1', { ignored: true });
    expect(removed.body).toEqual({ success: true });
  });

  test('a body over the limit gets 413 payload_too_large and the server keeps serving', async () => {
    const big = JSON.stringify({ customer_id: 'x', blob: 'a'.repeat(5 * 1024 * 1024) });
    const res = await server.request('POST', '/v1/customers.get_or_create', undefined, { raw: big });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
    // Chunked (no content-length): refused while streaming.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(server.url + '/v1/customers.get_or_create', {
        method: 'POST',
        headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = 'a'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 6 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      req.write('{"customer_id":"x","blob":"');
      pump();
    });
    expect(status).toBe(413);
    expect((await server.request('GET', '/', undefined, { key: null })).status).toBe(200);
  });

  test('a second server on the same folder is refused while the first holds the lock', async () => {
    const lock = JSON.parse(readFileSync(join(server.dataDir, 'dev.lock'), 'utf8'));
    expect(lock).toEqual({ pid: server.child.pid, port: Number(new URL(server.url).port) });
    await expect(startDevServer({ dataDir: server.dataDir })).rejects.toThrow(/Another atmn dev \(pid \d+, port \d+\) is serving/);
  });
});

describe('atmn dev shutdown', () => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s stops cleanly: exit 0, state compacted, lock released', async (signal) => {
    const server = await startDevServer();
    await server.post('/v1/customers.get_or_create', { customer_id: 'c1' });
    expect(await server.stop(signal)).toBe(0);
    expect(existsSync(join(server.dataDir, 'dev.lock'))).toBe(false);
    expect(readFileSync(join(server.dataDir, 'engine.journal.jsonl'), 'utf8')).toBe('');
    expect(server.stderr()).toContain('atmn dev stopped.');
    const again = await startDevServer({ dataDir: server.dataDir });
    try {
      expect((await again.post('/v1/customers.get', { customer_id: 'c1' })).body.id).toBe('c1');
      expect(again.key).toBe(server.key);
    } finally {
      await again.stop();
    }
  });
});
