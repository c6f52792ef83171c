import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pushCatalog, startDevServer, type DevServerProcess } from './support/dev-server.ts';

// Issue 5 item 4 and acceptance: malformed requests each get a 4xx with a code and a message
// naming the field; the server keeps serving.
interface Case {
  name: string;
  method?: string;
  path: string;
  body?: unknown;
  raw?: string;
  key?: string | null;
  status: number;
  code: string;
  /** A fragment the message must contain (usually the field's name). */
  says: string;
}

const C = { customer_id: 'c' };
const CASES: Case[] = [
  { name: 'malformed JSON', path: '/v1/balances.track', raw: '{"customer_id": "c", ', status: 400, code: 'invalid_input', says: 'not valid JSON' },
  { name: 'a JSON string body', path: '/v1/balances.check', raw: '"hello"', status: 400, code: 'invalid_input', says: 'must be a JSON object' },
  { name: 'a JSON array body', path: '/v1/balances.track', raw: '[1,2]', status: 400, code: 'invalid_input', says: 'must be a JSON object' },
  { name: 'JSON null body', path: '/v1/customers.get_or_create', raw: 'null', status: 400, code: 'invalid_input', says: 'got null' },
  { name: 'missing customer_id', path: '/v1/customers.get_or_create', body: {}, status: 400, code: 'invalid_input', says: 'customer_id' },
  { name: 'null customer_id', path: '/v1/customers.get_or_create', body: { customer_id: null }, status: 400, code: 'invalid_input', says: 'customer_id' },
  { name: 'empty customer_id', path: '/v1/customers.get_or_create', body: { customer_id: '' }, status: 400, code: 'invalid_input', says: 'customer_id must not be empty' },
  { name: 'object as customer_id', path: '/v1/balances.check', body: { customer_id: { id: 1 }, feature_id: 'calls' }, status: 400, code: 'invalid_input', says: 'customer_id' },
  { name: 'a number where a name goes', path: '/v1/entities.create', body: { ...C, entity_id: 'e', feature_id: 'seats', name: 123 }, status: 400, code: 'invalid_input', says: 'name must be a string; got number 123' },
  { name: 'metadata not an object', path: '/v1/customers.get_or_create', body: { customer_id: 'x', metadata: 'yes' }, status: 400, code: 'invalid_input', says: 'metadata' },
  { name: 'billing_controls given', path: '/v1/customers.get_or_create', body: { customer_id: 'x', billing_controls: { spend_limits: [] } }, status: 400, code: 'invalid_input', says: 'billing_controls' },
  { name: 'value as text', path: '/v1/balances.track', body: { ...C, feature_id: 'calls', value: 'ten' }, status: 400, code: 'invalid_input', says: "value must be a number; got the string \"ten\"" },
  { name: 'value as object', path: '/v1/balances.track', body: { ...C, feature_id: 'calls', value: { n: 1 } }, status: 400, code: 'invalid_input', says: 'value' },
  { name: 'Infinity from a query string', path: '/v1/balances.track?value=Infinity', body: { ...C, feature_id: 'calls' }, status: 400, code: 'invalid_input', says: 'value' },
  { name: 'neither feature_id nor event_name', path: '/v1/balances.track', body: { ...C, value: 1 }, status: 400, code: 'invalid_input', says: 'feature_id' },
  { name: 'both feature_id and event_name', path: '/v1/track', body: { ...C, feature_id: 'calls', event_name: 'call' }, status: 400, code: 'invalid_input', says: 'event_name' },
  { name: 'overflow overage', path: '/v1/balances.track', body: { ...C, feature_id: 'calls', overage_behavior: 'overflow' }, status: 400, code: 'invalid_input', says: 'overage_behavior' },
  { name: 'unknown overage', path: '/v1/balances.track', body: { ...C, feature_id: 'calls', overage_behavior: 'maybe' }, status: 400, code: 'invalid_input', says: 'overage_behavior must be one of' },
  { name: 'tracking a boolean feature', path: '/v1/balances.track', body: { ...C, feature_id: 'sso' }, status: 400, code: 'invalid_input', says: 'sso' },
  { name: 'timestamp in the future', path: '/v1/balances.track', body: { ...C, feature_id: 'calls', timestamp: 9_999_999_999_999 }, status: 400, code: 'invalid_input', says: 'timestamp' },
  { name: 'timestamp past any date', path: '/v1/balances.track', body: { ...C, feature_id: 'calls', timestamp: 9e15 }, status: 400, code: 'invalid_input', says: 'timestamp must be a date before the year 10000' },
  { name: 'a value too large for a double', path: '/v1/balances.track', raw: '{"customer_id":"c","feature_id":"calls","value":1e400}', status: 400, code: 'invalid_input', says: 'value must be a finite number' },
  { name: 'properties nested 5,000 deep', path: '/v1/balances.track', raw: `{"customer_id":"c","feature_id":"calls","properties":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`, status: 400, code: 'invalid_input', says: 'nested more than 64 levels' },
  { name: 'tracking a feature named like an Object member', path: '/v1/balances.track', body: { ...C, feature_id: 'constructor' }, status: 404, code: 'feature_not_found', says: "'constructor'" },
  { name: 'checking __proto__', path: '/v1/balances.check', body: { ...C, feature_id: '__proto__' }, status: 404, code: 'feature_not_found', says: "'__proto__'" },
  { name: 'entity_data naming an Object member', path: '/v1/balances.check', body: { ...C, feature_id: 'calls', entity_id: 'ws', entity_data: { feature_id: 'toString' } }, status: 404, code: 'feature_not_found', says: "'toString'" },
  { name: 'negative required_balance', path: '/v1/balances.check', body: { ...C, feature_id: 'calls', required_balance: -1 }, status: 400, code: 'invalid_input', says: 'required_balance must be ≥ 0' },
  { name: 'required_balance as text', path: '/v1/check', body: { ...C, feature_id: 'calls', required_balance: 'lots' }, status: 400, code: 'invalid_input', says: 'required_balance' },
  { name: 'a product check', path: '/v1/entitled', body: { ...C, product_id: 'pro' }, status: 400, code: 'invalid_input', says: 'product_id' },
  { name: 'unknown customer on check', path: '/v1/balances.check', body: { customer_id: 'nobody', feature_id: 'calls' }, status: 404, code: 'customer_not_found', says: "'nobody'" },
  { name: 'unknown customer on track', path: '/v1/balances.track', body: { customer_id: 'nobody', feature_id: 'calls' }, status: 404, code: 'customer_not_found', says: "'nobody'" },
  { name: 'unknown feature on check', path: '/v1/balances.check', body: { ...C, feature_id: 'sumaries' }, status: 404, code: 'feature_not_found', says: "'sumaries'" },
  { name: 'unknown event name', path: '/v1/balances.track', body: { ...C, event_name: 'nothing_lists_me' }, status: 404, code: 'feature_not_found', says: 'nothing_lists_me' },
  { name: 'unknown entity without entity_data', path: '/v1/balances.track', body: { ...C, feature_id: 'calls', entity_id: 'ghost' }, status: 404, code: 'entity_not_found', says: "'ghost'" },
  { name: 'entity of a consumable feature', path: '/v1/entities.create', body: { ...C, entity_id: 'e', feature_id: 'calls' }, status: 400, code: 'invalid_input', says: 'calls' },
  { name: 'entity of an unknown feature', path: '/v1/entities.create', body: { ...C, entity_id: 'e', feature_id: 'nope' }, status: 404, code: 'feature_not_found', says: "'nope'" },
  { name: 'entity list with a repeated id', path: '/v1/customers/c/entities', body: [{ id: 'a', feature_id: 'seats' }, { id: 'a', feature_id: 'seats' }], status: 400, code: 'invalid_input', says: "'a'" },
  { name: 'entity without an id', path: '/v1/entities.create', body: { ...C, feature_id: 'seats' }, status: 400, code: 'invalid_input', says: 'entity_id' },
  { name: 'entity for an unknown customer', path: '/v1/entities.create', body: { customer_id: 'nobody', entity_id: 'e', feature_id: 'seats' }, status: 404, code: 'customer_not_found', says: "'nobody'" },
  { name: 'delete of an unknown entity', method: 'DELETE', path: '/v1/customers/c/entities/ghost', status: 404, code: 'entity_not_found', says: "'ghost'" },
  { name: 'attach without a plan', path: '/v1/billing.attach', body: C, status: 400, code: 'invalid_input', says: 'plan_id' },
  { name: 'attach of an unknown plan', path: '/v1/billing.attach', body: { ...C, plan_id: 'gold' }, status: 404, code: 'plan_not_found', says: "'gold'" },
  { name: 'attach of an unknown version', path: '/v1/billing.attach', body: { ...C, plan_id: 'bulk', version: 9 }, status: 404, code: 'plan_not_found', says: 'Version 9' },
  { name: 'negative prepaid quantity', path: '/v1/billing.attach', body: { ...C, plan_id: 'bulk', feature_quantities: [{ feature_id: 'calls', quantity: -5 }] }, status: 400, code: 'invalid_input', says: 'feature_quantities.0.quantity' },
  { name: 'attach to an unknown entity', path: '/v1/billing.attach', body: { ...C, plan_id: 'bulk', entity_id: 'ghost' }, status: 404, code: 'entity_not_found', says: "'ghost'" },
  { name: 'test clock without a time', path: '/v1/customers.advance_test_clock', body: C, status: 400, code: 'invalid_input', says: 'frozen_time' },
  { name: 'test clock into the past', path: '/v1/customers.advance_test_clock', body: { ...C, frozen_time: 1_000 }, status: 400, code: 'invalid_input', says: 'frozen_time must not be earlier' },
  { name: 'test clock a millennium ahead', path: '/v1/customers.advance_test_clock', body: { ...C, frozen_time: Date.now() + 1000 * 365 * 86_400_000 }, status: 400, code: 'invalid_input', says: 'frozen_time may move the clock at most 100 years at a time' },
  { name: 'test clock past any date', path: '/v1/customers.advance_test_clock', body: { ...C, frozen_time: 8.64e15 }, status: 400, code: 'invalid_input', says: 'frozen_time must be a date before the year 10000' },
  { name: 'customer list limit 0', path: '/v1/customers/list', body: { limit: 0 }, status: 400, code: 'invalid_input', says: 'limit must be ≥ 1' },
  { name: 'customer list limit as text from a query', method: 'GET', path: '/v1/customers?limit=many', status: 400, code: 'invalid_input', says: 'limit' },
  { name: 'feature create with a bad id', path: '/v1/features', body: { id: 'has space', name: 'X', type: 'metered' }, status: 400, code: 'invalid_input', says: 'id must match' },
  { name: 'feature create with a bad type', path: '/v1/features', body: { id: 'x', name: 'X', type: 'gauge' }, status: 400, code: 'invalid_input', says: 'type must be one of' },
  { name: 'feature create with the id __proto__', path: '/v1/features', body: { id: '__proto__', name: 'P', type: 'metered' }, status: 400, code: 'invalid_input', says: 'id cannot be "__proto__"' },
  { name: 'a pushed plan with the id __proto__', path: '/v1/catalog.update', body: { features: [], plans: [{ plan_id: '__proto__', name: 'P' }] }, status: 400, code: 'invalid_input', says: 'plans[0].id cannot be "__proto__"' },
  { name: 'feature create with an existing id', path: '/v1/features', body: { id: 'calls', name: 'Calls', type: 'metered' }, status: 409, code: 'duplicate_feature_id', says: "'calls'" },
  { name: 'feature rename', path: '/v1/features.update', body: { feature_id: 'calls', new_feature_id: 'calls2' }, status: 400, code: 'invalid_input', says: 'new_feature_id' },
  { name: 'plan item of a feature named like an Object member', path: '/v1/products', body: { id: 'p', name: 'P', items: [{ feature_id: 'toString' }] }, status: 400, code: 'invalid_input', says: "items[0].feature_id names feature 'toString', which does not exist" },
  { name: 'plan item of an unknown feature', path: '/v1/products', body: { id: 'p', name: 'P', items: [{ feature_id: 'ghost' }] }, status: 400, code: 'invalid_input', says: 'items[0].feature_id' },
  { name: 'plan price without an interval', path: '/v1/products', body: { id: 'p', name: 'P', price: { amount: 5 } }, status: 400, code: 'invalid_input', says: 'price.interval' },
  { name: 'plan item with negative included', path: '/v1/plans.create', body: { plan_id: 'p', name: 'P', items: [{ feature_id: 'calls', included: -10 }] }, status: 400, code: 'invalid_input', says: 'items[0].included must be ≥ 0' },
  { name: 'plan with a negative price', path: '/v1/products', body: { id: 'p', name: 'P', price: { amount: -5, interval: 'month' } }, status: 400, code: 'invalid_input', says: 'price.amount must be ≥ 0' },
  { name: 'plan delete while held', method: 'DELETE', path: '/v1/products/bulk?all_versions=true', status: 409, code: 'plan_has_customers', says: "'bulk'" },
  { name: 'feature delete while used', method: 'DELETE', path: '/v1/features/calls', status: 409, code: 'feature_in_use', says: "'bulk'" },
  { name: 'catalog.update with features not a list', path: '/v1/catalog.update', body: { features: 'all' }, status: 400, code: 'invalid_input', says: 'features' },
  { name: 'a wrong key', path: '/v1/balances.check', body: { ...C, feature_id: 'calls' }, key: 'am_sk_test_guess', status: 401, code: 'unauthorized', says: 'keys.json' },
  { name: 'an unknown route', path: '/v1/balances.teleport', body: C, status: 404, code: 'not_found', says: '/v1/balances.teleport' },
];

describe('bad-input corpus', () => {
  let s: DevServerProcess;
  beforeAll(async () => {
    s = await startDevServer();
    await pushCatalog(s, {
      features: [
        { feature_id: 'calls', name: 'Calls', type: 'metered', consumable: true, event_names: ['call'] },
        { feature_id: 'seats', name: 'Seats', type: 'metered', consumable: false },
        { feature_id: 'sso', name: 'SSO', type: 'boolean' },
      ],
      plans: [{ plan_id: 'bulk', name: 'Bulk', auto_enable: true, licenses: [], items: [{ feature_id: 'calls', included: 100 }, { feature_id: 'sso' }] }],
      rewards: [],
      referral_programs: [],
    });
    await s.post('/v1/customers.get_or_create', C);
  });
  afterAll(async () => {
    await s?.stop();
  });

  test('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  test.each(CASES)('$name → $status $code', async (c) => {
    const res = await s.request(c.method ?? 'POST', c.path, c.body, { ...(c.raw !== undefined ? { raw: c.raw } : {}), ...(c.key !== undefined ? { key: c.key } : {}) });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect({ status: res.status, code: res.body?.code }).toEqual({ status: c.status, code: c.code });
    expect(typeof res.body.message).toBe('string');
    expect(res.body.message).toContain(c.says);
  });

  test('the server is still healthy and its state untouched after the whole corpus', async () => {
    expect((await s.request('GET', '/', undefined, { key: null })).status).toBe(200);
    const balance = (await s.post('/v1/balances.check', { ...C, feature_id: 'calls' })).body.balance;
    expect(balance).toMatchObject({ granted: 100, remaining: 100, usage: 0 });
    expect((await s.request('GET', '/v1/customers/c/entities')).body.list).toEqual([]);
    expect(s.stderr()).not.toContain('internal error');
  });

  test('a restart after the whole corpus restores the same state (nothing unreadable was saved)', async () => {
    expect(await s.stop()).toBe(0);
    s = await startDevServer({ dataDir: s.dataDir });
    expect((await s.post('/v1/balances.check', { ...C, feature_id: 'calls' })).body.balance).toMatchObject({ granted: 100, remaining: 100, usage: 0 });
    expect((await s.request('GET', '/v1/customers/c/entities')).body.list).toEqual([]);
    expect((await s.post('/v1/customers/list', {})).body.list.map((x: { id: string }) => x.id)).toEqual(['c']);
    expect((await s.post('/v1/features.list', {})).body.list.map((x: { id: string }) => x.id)).toEqual(['calls', 'seats', 'sso']);
    expect((await s.post('/v1/plans.list', {})).body.list.map((x: { id: string }) => x.id)).toEqual(['bulk']);
  });
});
