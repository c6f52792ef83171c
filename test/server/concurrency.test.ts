import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pushCatalog, startDevServer, type DevServerProcess } from './support/dev-server.ts';

// Issue 5 acceptance: "1,000 concurrent tracks on one customer give the exact final balance".
const CATALOG = {
  features: [
    { feature_id: 'calls', name: 'Calls', type: 'metered', consumable: true },
    { feature_id: 'seats', name: 'Seats', type: 'metered', consumable: false },
  ],
  plans: [{
    plan_id: 'bulk', name: 'Bulk', auto_enable: true, licenses: [],
    items: [{ feature_id: 'calls', included: 100_000 }, { feature_id: 'calls', entity_feature_id: 'seats', included: 1000 }],
  }],
  rewards: [],
  referral_programs: [],
};

function post(server: DevServerProcess, agent: Agent, path: string, body: object): Promise<{ status: number; body: any }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(server.url + path, {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('concurrent writes on one customer', () => {
  let s: DevServerProcess;
  const agent = new Agent({ keepAlive: true, maxSockets: 200 });
  beforeAll(async () => {
    s = await startDevServer();
    await pushCatalog(s, CATALOG);
    await s.post('/v1/customers.get_or_create', { customer_id: 'c' });
  });
  afterAll(async () => {
    agent.destroy();
    await s?.stop();
  });

  test('1,000 concurrent customer-level tracks of 0.1 … leave exactly 100,000 − Σ values', async () => {
    const values = Array.from({ length: 1000 }, (_, i) => ((i % 10) + 1) / 10); // 0.1 … 1.0: binary floats would drift
    const results = await Promise.all(values.map((value) => post(s, agent, '/v1/balances.track', { customer_id: 'c', feature_id: 'calls', value })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.map((r) => r.body.applied).sort()).toEqual([...values].sort());
    // 100 of each of 0.1 … 1.0: Σ = 100 × 5.5 = 550.
    const balance = (await s.post('/v1/balances.check', { customer_id: 'c', feature_id: 'calls' })).body.balance;
    expect(balance.breakdown.find((b: any) => b.owner === 'customer')).toMatchObject({ granted: 100_000, remaining: 99_450, usage: 550 });
  });

  test('concurrent entity creation and per-seat tracks never lose an update', async () => {
    const seats = Array.from({ length: 10 }, (_, i) => `seat_${i}`);
    const created = await Promise.all(seats.map((id) => post(s, agent, '/v1/entities.create', { customer_id: 'c', entity_id: id, feature_id: 'seats' })));
    expect(created.map((r) => r.status)).toEqual(seats.map(() => 200));
    const tracks = Array.from({ length: 1000 }, (_, i) => post(s, agent, '/v1/balances.track', { customer_id: 'c', feature_id: 'calls', entity_id: seats[i % 10], value: 1 }));
    expect((await Promise.all(tracks)).every((r) => r.status === 200 && r.body.applied === 1)).toBe(true);
    for (const id of seats) {
      const view = (await s.post('/v1/balances.check', { customer_id: 'c', feature_id: 'calls', entity_id: id })).body.balance;
      expect(view.breakdown.find((b: any) => b.owner === 'slice')).toMatchObject({ granted: 1000, remaining: 900, usage: 100 });
    }
  });

  test('racing the same idempotency key: exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => post(s, agent, '/v1/balances.track', { customer_id: 'c', feature_id: 'calls', value: 7, idempotency_key: 'race' })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'duplicate_idempotency_key')).toHaveLength(49);
  });
});
