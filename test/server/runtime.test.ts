import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pushCatalog, startDevServer, TEAM_CATALOG, type DevServerProcess } from './support/dev-server.ts';

// Runtime routes of `atmn dev` (issue 5 item 2; wire.md §4.6, §5), against the real engine.
const CATALOG = {
  ...TEAM_CATALOG,
  features: [
    ...TEAM_CATALOG.features,
    { feature_id: 'alpha', name: 'Alpha', type: 'metered', consumable: true, event_names: ['both'] },
    { feature_id: 'beta', name: 'Beta', type: 'metered', consumable: true, event_names: ['both'] },
  ],
  plans: [
    { plan_id: 'dual', name: 'Dual', add_on: true, licenses: [], items: [{ feature_id: 'alpha', included: 10 }, { feature_id: 'beta', included: 100 }] },
    ...TEAM_CATALOG.plans,
    { plan_id: 'boost', name: 'Boost', add_on: true, licenses: [], items: [{ feature_id: 'messages', included: 500, reset: { interval: 'month' } }] },
    { plan_id: 'lifetime', name: 'Lifetime', add_on: true, licenses: [], price: { amount: 99, interval: 'one_off' }, items: [{ feature_id: 'messages', included: 1000 }] },
  ],
};

const DAY = 24 * 60 * 60 * 1000;

describe('atmn dev runtime routes', () => {
  let s: DevServerProcess;
  const summaries = async (subject: { customer_id: string; entity_id?: string }) =>
    (await s.post('/v1/balances.check', { ...subject, feature_id: 'summaries' })).body.balance;

  beforeAll(async () => {
    s = await startDevServer();
    await pushCatalog(s, CATALOG);
  });
  afterAll(async () => {
    await s?.stop();
  });

  test('get_or_create makes a customer with its auto-enable plans; a second call returns it unchanged', async () => {
    const created = await s.post('/v1/customers.get_or_create', { customer_id: 'c_new', name: 'Ada', email: 'ada@example.com', metadata: { tier: 1 } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: 'c_new', name: 'Ada', email: 'ada@example.com', env: 'sandbox', stripe_id: null, metadata: { tier: 1 },
      licenses: [], purchases: [], flags: {}, scheduled_subscriptions: [],
    });
    expect(created.body.subscriptions.map((x: any) => [x.plan_id, x.status, x.scope])).toEqual([['free', 'active', 'customer']]);
    expect(created.body.balances.messages).toMatchObject({ granted: 100, remaining: 100, usage: 0, unlimited: false, overage_allowed: false });
    const again = await s.post('/v1/customers.get_or_create', { customer_id: 'c_new', name: 'Other' });
    expect(again.body.name).toBe('Ada');
    const rest = await s.post('/v1/customers', { id: 'c_rest', name: 'Rest' });
    expect(rest.body).toMatchObject({ id: 'c_rest', name: 'Rest' });
    const only = await s.post('/v1/customers.get_or_create', { customer_id: 'c_only', auto_enable_plan_id: 'boost' });
    expect(only.body.subscriptions.map((x: any) => x.plan_id)).toEqual(['boost']);
  });

  test('lookup, expand, search and delete', async () => {
    const got = await s.request('GET', '/v1/customers/c_new?expand=entities,subscriptions.plan,balances.feature,invoices,referrals,rewards');
    expect(got.body.entities).toEqual([]);
    expect(got.body.invoices).toEqual([]);
    expect(got.body.referrals).toEqual([]);
    expect(got.body.rewards).toBeNull();
    expect(got.body.subscriptions[0].plan).toMatchObject({ id: 'free', version: 1, items: [{ feature_id: 'messages', included: 100 }] });
    expect(got.body.balances.messages.feature).toMatchObject({ id: 'messages', type: 'metered', consumable: true });
    const found = await s.post('/v1/customers/list', { search: 'ADA' });
    expect(found.body).toMatchObject({ total: 1, offset: 0, limit: 10, has_more: false });
    expect(found.body.list[0].id).toBe('c_new');
    expect((await s.request('DELETE', '/v1/customers/c_rest')).body).toEqual({ success: true });
    const gone = await s.post('/v1/customers.get', { customer_id: 'c_rest' });
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('customer_not_found');
  });

  test("the docs' team plan: seats, per-seat summaries, deletion, check and track in every spelling", async () => {
    const org = { customer_id: 'org_team' };
    await s.post('/v1/customers.get_or_create', org);
    expect((await s.post('/v1/billing.attach', { ...org, plan_id: 'team', redirect_mode: 'if_required' })).body)
      .toEqual({ customer_id: 'org_team', payment_url: null, plan_id: 'team' });
    // Three ways to create a seat.
    const alice = await s.post('/v1/entities.create', { ...org, entity_id: 'alice', feature_id: 'seats', name: 'Alice' });
    expect(alice.body).toMatchObject({ id: 'alice', name: 'Alice', customer_id: 'org_team', feature_id: 'seats', env: 'sandbox' });
    const bob = await s.post('/v1/entities', { ...org, entity_id: 'bob', feature_id: 'seats' });
    expect(bob.body).toMatchObject({ id: 'bob', entity_id: 'bob', message: 'Entity created successfully' });
    const carol = await s.post('/v1/customers/org_team/entities', { id: 'carol', feature_id: 'seats' });
    expect(carol.body.id).toBe('carol');

    expect(await summaries(org)).toMatchObject({ granted: 150, remaining: 150, usage: 0 });
    expect(await summaries({ ...org, entity_id: 'bob' })).toMatchObject({ granted: 50, remaining: 50 });
    const seats = (await s.post('/v1/check', { ...org, feature_id: 'seats' })).body.balance;
    expect(seats).toMatchObject({ granted: 1, usage: 3, remaining: 0, overage_allowed: true });

    // Track on a seat, by feature and by event name; then customer-level (walks alice first).
    const t1 = await s.post('/v1/balances.track', { ...org, feature_id: 'summaries', entity_id: 'alice', value: 20 });
    expect(t1.body).toMatchObject({ customer_id: 'org_team', entity_id: 'alice', feature_id: 'summaries', value: 20, applied: 20 });
    expect(t1.body.balance).toMatchObject({ granted: 50, remaining: 30, usage: 20 });
    expect(t1.body.deductions).toEqual([expect.objectContaining({ feature_id: 'summaries', owner: 'slice', entity_id: 'alice', value: 20, amount: 20, plan_id: 'team' })]);
    const t2 = await s.post('/v1/track', { ...org, event_name: 'summary_generated', value: 40 });
    expect(t2.body).toMatchObject({ event_name: 'summary_generated', feature_id: 'summaries', applied: 40, entity_id: null });
    expect(await summaries({ ...org, entity_id: 'alice' })).toMatchObject({ remaining: 0 });
    expect(await summaries({ ...org, entity_id: 'bob' })).toMatchObject({ remaining: 40 });

    const notAllowed = await s.post('/v1/entitled', { ...org, feature_id: 'summaries', entity_id: 'bob', required_quantity: 60 });
    expect(notAllowed.body).toMatchObject({ allowed: false, required_balance: 60, entity_id: 'bob' });
    const viaGet = await s.request('GET', '/v1/entitled', { ...org, feature_id: 'summaries', entity_id: 'bob', required_balance: 40 });
    expect(viaGet.body.allowed).toBe(true);
    const flag = await s.post('/v1/balances.check', { ...org, feature_id: 'sso' });
    expect(flag.body).toMatchObject({ allowed: true, balance: null, flag: { plan_id: 'team', feature_id: 'sso', expires_at: null } });

    // Deleting a seat: its slice leaves the totals and seat usage drops by one.
    expect((await s.request('DELETE', '/v1/entities/carol?customer_id=org_team')).body).toEqual({ success: true });
    expect(await summaries(org)).toMatchObject({ granted: 100, remaining: 40, usage: 60 });
    expect((await s.post('/v1/balances.check', { ...org, feature_id: 'seats' })).body.balance.usage).toBe(2);
    const list = await s.request('GET', '/v1/customers/org_team/entities');
    expect(list.body.list.map((e: any) => e.id)).toEqual(['alice', 'bob']);
  });

  test('entities: lookup without customer_id, lists of two, duplicates, reuse of a deleted id', async () => {
    const org = { customer_id: 'org_ent' };
    await s.post('/v1/customers.get_or_create', org);
    await s.post('/v1/attach', { ...org, product_id: 'team' });
    const two = await s.post('/v1/customers/org_ent/entities', [{ id: 'u1', feature_id: 'seats' }, { id: 2, feature_id: 'seats' }]);
    expect(two.body.list.map((e: any) => e.id)).toEqual(['u1', '2']);
    expect((await s.post('/v1/entities.get', { entity_id: 'u1' })).body.customer_id).toBe('org_ent');
    const dup = await s.post('/v1/entities.create', { ...org, entity_id: 'u1', feature_id: 'seats' });
    expect([dup.status, dup.body.code]).toEqual([409, 'entity_already_exists']);
    expect((await s.post('/v1/entities.delete', { entity_id: 'u1' })).body).toEqual({ success: true });
    expect((await s.request('GET', '/v1/customers/org_ent/entities/u1')).status).toBe(404);
    const reused = await s.post('/v1/entities.create', { ...org, entity_id: 'u1', feature_id: 'seats' });
    expect(reused.status).toBe(200);
    expect((await s.request('DELETE', '/v1/customers/org_ent/entities/2')).body).toEqual({ success: true });
  });

  test('an unknown entity is auto-created by check with entity_data; without it, entity_not_found', async () => {
    const org = { customer_id: 'org_auto' };
    await s.post('/v1/customers.get_or_create', org);
    const missing = await s.post('/v1/balances.check', { ...org, feature_id: 'messages', entity_id: 'ghost' });
    expect([missing.status, missing.body.code]).toEqual([404, 'entity_not_found']);
    const made = await s.post('/v1/balances.check', { ...org, feature_id: 'messages', entity_id: 'ws_1', entity_data: { feature_id: 'seats', name: 'Workspace' } });
    expect(made.body).toMatchObject({ allowed: true, entity_id: 'ws_1', entity_created: true });
    expect((await s.post('/v1/entities.get', { ...org, entity_id: 'ws_1' })).body.name).toBe('Workspace');
  });

  test('reject, cap, refunds and idempotency keys', async () => {
    const c = { customer_id: 'c_track' };
    await s.post('/v1/customers.get_or_create', c);
    const rejected = await s.post('/v1/balances.track', { ...c, feature_id: 'messages', value: 150, overage_behavior: 'reject' });
    expect([rejected.status, rejected.body.code]).toEqual([400, 'insufficient_balance']);
    expect(rejected.body.details).toMatchObject({ requested: 150, available: 100 });
    const capped = await s.post('/v1/balances.track', { ...c, feature_id: 'messages', value: 150 });
    expect(capped.body).toMatchObject({ value: 150, applied: 100 });
    const refund = await s.post('/v1/events', { ...c, feature_id: 'messages', properties: { value: -30 } });
    expect(refund.body).toMatchObject({ value: -30, applied: -30, balance: { remaining: 30 } });

    const first = await s.post('/v1/balances.track', { ...c, feature_id: 'messages', value: 1, idempotency_key: 'k1' });
    expect(first.status).toBe(200);
    const dup = await s.post('/v1/balances.track', { ...c, feature_id: 'messages', value: 5 }, { headers: { 'idempotency-key': 'k1' } });
    expect([dup.status, dup.body.code]).toEqual([409, 'duplicate_idempotency_key']);
    const otherCustomer = await s.post('/v1/customers.get_or_create', { customer_id: 'c_track2' });
    expect(otherCustomer.status).toBe(200);
    expect((await s.post('/v1/balances.track', { customer_id: 'c_track2', feature_id: 'messages', idempotency_key: 'k1' })).status).toBe(200);
    expect((await s.post('/v1/balances.check', { ...c, feature_id: 'messages' })).body.balance.remaining).toBe(29);
  });

  test('a body key and a different Idempotency-Key header are both claimed, for the same 24 h (wire.md §6.1)', async () => {
    const c = { customer_id: 'c_keys' };
    const created = (await s.post('/v1/customers.get_or_create', c)).body;
    const track = (body: object, header?: string) =>
      s.post('/v1/balances.track', { ...c, feature_id: 'messages', value: 1, ...body }, header === undefined ? {} : { headers: { 'idempotency-key': header } });
    const remaining = async () => (await s.post('/v1/balances.check', { ...c, feature_id: 'messages' })).body.balance.remaining;

    expect((await track({ idempotency_key: 'body_a' }, 'header_b')).status).toBe(200);
    const again = [await track({ idempotency_key: 'header_b' }), await track({}, 'body_a'), await track({ idempotency_key: 'fresh' }, 'header_b')];
    expect(again.map((r) => [r.status, r.body.code])).toEqual(Array(3).fill([409, 'duplicate_idempotency_key']));
    expect(again[0]!.body.message).toContain("Idempotency key 'header_b' was already used at");
    expect(await remaining()).toBe(99); // the three duplicates applied nothing
    // 'fresh' was refused, so it was never claimed.
    expect((await track({ idempotency_key: 'fresh' })).status).toBe(200);
    // A refused two-key track claims neither key.
    const refused = await track({ idempotency_key: 'x', value: 1000, overage_behavior: 'reject' }, 'y');
    expect([refused.status, refused.body.code]).toEqual([400, 'insufficient_balance']);
    expect((await track({}, 'y')).status).toBe(200);
    expect(await remaining()).toBe(97);

    // 24 h of the customer's clock later both keys are free again; re-using one does not revive the other.
    await s.post('/v1/customers.advance_test_clock', { ...c, frozen_time: created.created_at + 25 * 60 * 60 * 1000 });
    expect((await track({ idempotency_key: 'body_a' })).status).toBe(200);
    expect((await track({ idempotency_key: 'header_b' })).status).toBe(200);
  });

  test('an event name listed by two features: one request, all or nothing under reject', async () => {
    const c = { customer_id: 'c_dual', auto_enable_plan_id: 'dual' };
    await s.post('/v1/customers.get_or_create', c);
    const left = async (f: string) => (await s.post('/v1/balances.check', { ...c, feature_id: f })).body.balance.remaining;
    const refused = await s.post('/v1/balances.track', { ...c, event_name: 'both', value: 20, overage_behavior: 'reject', idempotency_key: 'd1' });
    expect([refused.status, refused.body.code]).toEqual([400, 'insufficient_balance']);
    expect(refused.body.message).toContain("'alpha'");
    expect([await left('alpha'), await left('beta')]).toEqual([10, 100]);
    const capped = await s.post('/v1/balances.track', { ...c, event_name: 'both', value: 20, idempotency_key: 'd1' });
    expect(capped.body).toMatchObject({ event_name: 'both', value: 20, balance: null, balances: { alpha: { remaining: 0 }, beta: { remaining: 80 } } });
    expect(capped.body).not.toHaveProperty('feature_id');
    expect(capped.body.deductions.map((d: any) => [d.feature_id, d.value])).toEqual([['alpha', 10], ['beta', 20]]);
    expect((await s.post('/v1/balances.track', { ...c, event_name: 'both', idempotency_key: 'd1' })).status).toBe(409);
    // alpha could take 8, beta cannot: alpha's deduction is undone too.
    const c2 = { customer_id: 'c_dual2', auto_enable_plan_id: 'dual' };
    await s.post('/v1/customers.get_or_create', c2);
    await s.post('/v1/balances.track', { ...c2, feature_id: 'beta', value: 95 });
    const second = await s.post('/v1/balances.track', { ...c2, event_name: 'both', value: 8, overage_behavior: 'reject' });
    expect([second.status, second.body.code]).toEqual([400, 'insufficient_balance']);
    expect(second.body.message).toContain("'beta'");
    const after = async (f: string) => (await s.post('/v1/balances.check', { ...c2, feature_id: f })).body.balance.remaining;
    expect([await after('alpha'), await after('beta')]).toEqual([10, 5]);
    const unknownPlan = await s.post('/v1/customers.get_or_create', { customer_id: 'c_gold', auto_enable_plan_id: 'gold' });
    expect([unknownPlan.status, unknownPlan.body.code]).toEqual([404, 'plan_not_found']);
  });

  test('entity-level attach, add-ons and one-off purchases show with their scope', async () => {
    const org = { customer_id: 'org_scope' };
    await s.post('/v1/customers.get_or_create', org);
    await s.post('/v1/billing.attach', { ...org, plan_id: 'team' });
    await s.post('/v1/entities.create', { ...org, entity_id: 'e1', feature_id: 'seats' });
    const onEntity = await s.post('/v1/billing.attach', { ...org, plan_id: 'boost', entity_id: 'e1' });
    expect(onEntity.body).toEqual({ customer_id: 'org_scope', entity_id: 'e1', payment_url: null, plan_id: 'boost' });
    await s.post('/v1/billing.attach', { ...org, plan_id: 'lifetime', subscription_id: 'sub_custom' });
    const customer = (await s.post('/v1/customers.get', org)).body;
    expect(customer.subscriptions.map((x: any) => [x.plan_id, x.scope])).toEqual([['free', 'customer'], ['team', 'customer'], ['boost', 'entity']]);
    expect(customer.purchases).toEqual([expect.objectContaining({ plan_id: 'lifetime', quantity: 1, scope: 'customer', expires_at: null })]);
    // Entity-attached grants are displayed at customer level but never allowed there (semantics R6.2).
    expect(customer.balances.messages).toMatchObject({ granted: 1600, remaining: 1600 });
    const entity = (await s.post('/v1/entities.get', { ...org, entity_id: 'e1' })).body;
    expect(entity.subscriptions.map((x: any) => x.plan_id)).toEqual(['free', 'team', 'boost']);
    const again = await s.post('/v1/billing.attach', { ...org, plan_id: 'team' });
    expect([again.status, again.body.code]).toEqual([400, 'invalid_input']);
    const unknown = await s.post('/v1/billing.attach', { ...org, plan_id: 'nope' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'plan_not_found']);
  });

  test('test clocks: a frozen month later the seats are billed, slices reset, and the clock stays put', async () => {
    const org = { customer_id: 'org_clock' };
    const created = (await s.post('/v1/customers.get_or_create', org)).body;
    await s.post('/v1/billing.attach', { ...org, plan_id: 'team' });
    for (const id of ['a', 'b', 'c']) await s.post('/v1/entities.create', { ...org, entity_id: id, feature_id: 'seats' });
    await s.post('/v1/balances.track', { ...org, feature_id: 'summaries', entity_id: 'a', value: 50 });

    const target = created.created_at + 40 * DAY + 1234;
    const advanced = await s.post('/v1/customers.advance_test_clock', { ...org, frozen_time: target });
    const frozen = Math.floor(target / 1000) * 1000; // rounded down to whole seconds (wire.md §5.7)
    expect(advanced.body).toEqual({ customer_id: 'org_clock', frozen_time: frozen, status: 'ready' });
    const invoices = (await s.post('/v1/invoices.list', org)).body.list;
    expect(invoices.map((i: any) => i.total)).toEqual([30, 90]);
    expect(invoices[1].lines.map((l: any) => [l.kind, l.timing, l.quantity, l.amount])).toEqual([
      ['base', 'advance', 1, 30],
      ['seats', 'arrear', 2, 60],
    ]);
    expect(await summaries({ ...org, entity_id: 'a' })).toMatchObject({ remaining: 50 });
    const backwards = await s.post('/v1/customers.advance_test_clock', { ...org, frozen_time: target - 2 * DAY });
    expect([backwards.status, backwards.body.code]).toEqual([400, 'invalid_input']);
    expect(backwards.body.message).toContain('frozen_time');
    const same = await s.post('/v1/customers.advance_test_clock', { ...org, frozen_time: target });
    expect(same.status).toBe(200);
    expect((await s.post('/v1/invoices.list', org)).body.list).toHaveLength(2);
  });

  test('organization and empty reward lists for atmn', async () => {
    expect((await s.request('GET', '/v1/organization')).body).toMatchObject({ id: 'org_atmn_dev', name: 'atmn dev', slug: 'atmn-dev', stripe_connection: null });
    expect((await s.post('/v1/rewards.list', {})).body).toEqual({ coupons: [], feature_grants: [] });
    expect((await s.post('/v1/referral_programs.list', {})).body).toEqual({ list: [] });
  });
});
