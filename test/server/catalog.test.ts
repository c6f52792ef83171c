import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDevServer, TEAM_CATALOG, type DevServerProcess } from './support/dev-server.ts';

// Catalog reads and writes of `atmn dev` (wire.md §2–§4).
describe('catalog routes', () => {
  let s: DevServerProcess;
  beforeAll(async () => {
    s = await startDevServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  test('features: REST and RPC create, partial update, archive, delete rules', async () => {
    const made = await s.post('/v1/features', { id: 'tokens', name: 'Tokens', type: 'metered', consumable: true, event_names: ['llm'] });
    expect(made.body).toEqual({ id: 'tokens', name: 'Tokens', type: 'metered', consumable: true, event_names: ['llm'], archived: false });
    await s.post('/v1/features.create', { feature_id: 'users', name: 'Users', type: 'metered', consumable: false });
    await s.post('/v1/features.create', { feature_id: 'credits', name: 'Credits', type: 'credit_system', credit_schema: [{ metered_feature_id: 'tokens', credit_cost: 2.5 }] });
    expect((await s.post('/v1/features/tokens', { name: 'LLM tokens' })).body).toMatchObject({ name: 'LLM tokens', type: 'metered', event_names: ['llm'] });
    expect((await s.post('/v1/features.update', { feature_id: 'users', archived: true })).body.archived).toBe(true);
    expect((await s.post('/v1/features/users', { archived: false })).body.archived).toBe(false);
    expect((await s.post('/v1/features.get', { feature_id: 'credits' })).body).toMatchObject({ consumable: true, credit_schema: [{ metered_feature_id: 'tokens', credit_cost: 2.5 }] });
    const list = (await s.post('/v1/features.list')).body.list;
    expect(list.map((f: any) => f.id)).toEqual(['tokens', 'users', 'credits']); // creation order
    // A credit-schema reference does not block a delete; the entry goes.
    expect((await s.request('DELETE', '/v1/features/tokens')).body).toEqual({ success: true });
    expect((await s.post('/v1/features.get', { feature_id: 'credits' })).body.credit_schema).toEqual([]);
    const missing = await s.post('/v1/features.delete', { feature_id: 'tokens' });
    expect([missing.status, missing.body.code]).toEqual([404, 'feature_not_found']);
    const renamed = await s.post('/v1/features/users', { id: 'people' });
    expect([renamed.status, renamed.body.code]).toEqual([400, 'invalid_input']);
  });

  test('plans: create in both shapes, read back with every ApiPlan key, partial update', async () => {
    const rest = await s.post('/v1/products', {
      id: 'pro', name: 'Pro', description: 'For teams', group: 'main', price: { amount: 20, interval: 'month' },
      items: [{ feature_id: 'users', included: 5, price: { interval: 'month', billing_method: 'usage_based', amount: 10 } }],
    });
    expect(rest.body).toEqual({
      id: 'pro', name: 'Pro', description: 'For teams', group: 'main', version: 1, add_on: false, auto_enable: false,
      price: { amount: 20, interval: 'month' },
      items: [{
        feature_id: 'users', included: 5, unlimited: false, pooled: false, entity_feature_id: null, reset: null,
        price: { amount: 10, interval: 'month', billing_units: 1, billing_method: 'usage_based', max_purchase: null },
      }],
      free_trial: null, created_at: expect.any(Number), env: 'sandbox', archived: false, config: { ignore_past_due: false },
      metadata: {}, base_variant_id: null, licenses: [],
    });
    // The SDK's plans.create always sends group "", add_on, auto_enable and create_in_stripe.
    const rpc = await s.post('/v1/plans.create', { plan_id: 'starter', name: 'Starter', group: '', add_on: false, auto_enable: true, create_in_stripe: true, items: [{ feature_id: 'users', included: 1 }] });
    expect(rpc.body).toMatchObject({ id: 'starter', group: null, auto_enable: true });
    const dup = await s.post('/v1/plans.create', { plan_id: 'starter', name: 'Again' });
    expect([dup.status, dup.body.code]).toEqual([409, 'product_already_exists']);
    const renamed = await s.post('/v1/products/pro', { name: 'Pro 2' });
    expect(renamed.body).toMatchObject({ name: 'Pro 2', version: 1, description: 'For teams', price: { amount: 20 } });
    expect((await s.post('/v1/plans.get', { plan_id: 'pro' })).body.name).toBe('Pro 2');
  });

  test('a priced change with a holder makes version 2; the holder keeps version 1', async () => {
    await s.post('/v1/customers.get_or_create', { customer_id: 'holder', auto_enable_plan_id: 'starter' });
    const v2 = await s.post('/v1/products/starter', { items: [{ feature_id: 'users', included: 3 }] });
    expect(v2.body).toMatchObject({ id: 'starter', version: 2, items: [{ included: 3 }] });
    const all = (await s.post('/v1/plans.list', { all_versions: true })).body.list.filter((p: any) => p.id === 'starter');
    expect(all.map((p: any) => [p.version, p.items[0].included])).toEqual([[1, 1], [2, 3]]);
    const holder = (await s.request('GET', '/v1/customers/holder?expand=subscriptions.plan')).body;
    expect(holder.subscriptions[0].plan).toMatchObject({ id: 'starter', version: 1, items: [{ included: 1 }] });
    expect(holder.balances.users.granted).toBe(1);
    // disable_version edits the latest version in place; a pinned version is edited in place.
    expect((await s.post('/v1/plans.update', { plan_id: 'starter', items: [{ feature_id: 'users', included: 4 }], disable_version: true, archived: false })).body.version).toBe(2);
    expect((await s.post('/v1/plans.update', { plan_id: 'starter', version: 1, name: 'Starter (old)' })).body).toMatchObject({ version: 1, name: 'Starter (old)' });
    const newcomer = (await s.post('/v1/customers.get_or_create', { customer_id: 'newcomer', auto_enable_plan_id: 'starter' })).body;
    expect(newcomer.balances.users.granted).toBe(4);
    // Held plans are archived, never deleted; archived plans drop out of plans.list and can't be attached.
    const held = await s.request('DELETE', '/v1/products/starter?all_versions=true');
    expect([held.status, held.body.code]).toEqual([409, 'plan_has_customers']);
    await s.post('/v1/products/starter', { archived: true });
    expect((await s.post('/v1/plans.list', {})).body.list.map((p: any) => p.id)).toEqual(['pro']);
    expect((await s.post('/v1/plans.list', { include_archived: true })).body.list.map((p: any) => p.id)).toEqual(['pro', 'starter']);
    const attach = await s.post('/v1/billing.attach', { customer_id: 'newcomer', plan_id: 'starter' });
    expect([attach.status, attach.body.code]).toEqual([400, 'invalid_input']);
    // autumn-js plans.update always sends archived: false, which unarchives.
    expect((await s.post('/v1/plans.update', { plan_id: 'starter', archived: false, create_in_stripe: true })).body.archived).toBe(false);
    const inUse = await s.request('DELETE', '/v1/features/users');
    expect([inUse.status, inUse.body.code]).toEqual([409, 'feature_in_use']);
  });
});

describe('catalog.preview_update and catalog.update (atmn push)', () => {
  let s: DevServerProcess;
  beforeAll(async () => {
    s = await startDevServer();
  });
  afterAll(async () => {
    await s?.stop();
  });
  const preview = async (body: object) => (await s.post('/v1/catalog.preview_update', body)).body;

  test('a first push creates everything; the same push again changes nothing', async () => {
    const first = await preview(TEAM_CATALOG);
    expect(first.feature_changes.map((c: any) => [c.feature_id, c.action])).toEqual([['seats', 'create'], ['summaries', 'create'], ['messages', 'create'], ['sso', 'create']]);
    expect(first.plan_changes.map((c: any) => [c.plan_id, c.action, c.variants])).toEqual([['free', 'created', []], ['team', 'created', []]]);
    expect(first.reward_changes).toEqual([]);
    expect(first.referral_program_changes).toEqual([]);
    const updated = await s.post('/v1/catalog.update', TEAM_CATALOG);
    expect(updated.body.features.map((f: any) => f.id)).toEqual(['seats', 'summaries', 'messages', 'sso']);
    expect(updated.body.plans.map((p: any) => [p.id, p.version])).toEqual([['free', 1], ['team', 1]]);
    const again = await preview(TEAM_CATALOG);
    expect(again.feature_changes.every((c: any) => c.action === 'none')).toBe(true);
    expect(again.plan_changes.every((c: any) => c.action === 'none' && Array.isArray(c.variants))).toBe(true);
    // The catalog lives where the embedded sandbox reads it.
    const stored = JSON.parse(readFileSync(join(s.dataDir, 'sandbox', 'catalog.json'), 'utf8'));
    expect(Object.keys(stored.catalog.plans)).toEqual(['free', 'team']);
  });

  test('a priced change to a held plan is versionable; intents turn that off', async () => {
    await s.post('/v1/customers.get_or_create', { customer_id: 'org' });
    await s.post('/v1/billing.attach', { customer_id: 'org', plan_id: 'team' });
    const pricier = { ...TEAM_CATALOG, plans: TEAM_CATALOG.plans.map((p) => (p.plan_id === 'team' ? { ...p, price: { amount: 35, interval: 'month' } } : p)) };
    const change = (await preview(pricier)).plan_changes.find((c: any) => c.plan_id === 'team');
    expect(change).toMatchObject({
      action: 'updated', versionable: true, has_customers: true, customer_count: 1,
      price_change: { previous: { amount: 30, interval: 'month' }, current: { amount: 35, interval: 'month' } },
      previous_attributes: { price: { amount: 30, interval: 'month' } }, plan: { version: 2 },
    });
    const inPlace = { ...pricier, plans: pricier.plans.map((p) => (p.plan_id === 'team' ? { ...p, disable_version: true } : p)) };
    expect((await preview(inPlace)).plan_changes.find((c: any) => c.plan_id === 'team')).toMatchObject({ versionable: false, plan: { version: 1 } });
    await s.post('/v1/catalog.update', pricier);
    const versions = (await s.post('/v1/plans.list', { all_versions: true })).body.list.filter((p: any) => p.id === 'team');
    expect(versions.map((p: any) => [p.version, p.price.amount])).toEqual([[1, 30], [2, 35]]);
  });

  test('removals: held plans and used features are archived, the rest deleted; skips are honoured', async () => {
    const onlyFree = {
      ...TEAM_CATALOG,
      features: TEAM_CATALOG.features.filter((f) => f.feature_id === 'messages'),
      plans: TEAM_CATALOG.plans.filter((p) => p.plan_id === 'free'),
      skip_feature_ids: ['sso'],
    };
    const p = await preview(onlyFree);
    expect(p.plan_changes.map((c: any) => [c.plan_id, c.action, c.will_archive])).toEqual([['free', 'none', false], ['team', 'deleted', true]]);
    expect(p.feature_changes.map((c: any) => [c.feature_id, c.action, c.will_archive])).toEqual([
      ['messages', 'none', false], ['seats', 'remove', true], ['summaries', 'remove', true], ['sso', 'skipped', false],
    ]);
    expect((await preview({ ...onlyFree, skip_deletions: true })).plan_changes.map((c: any) => c.action)).toEqual(['none']);
    await s.post('/v1/catalog.update', onlyFree);
    const plans = (await s.post('/v1/plans.list', { include_archived: true })).body.list;
    expect(plans.map((x: any) => [x.id, x.archived])).toEqual([['free', false], ['team', true]]);
    const features = (await s.post('/v1/features.list')).body.list;
    expect(features.map((f: any) => [f.id, f.archived])).toEqual([['seats', true], ['summaries', true], ['messages', false], ['sso', false]]);
  });

  test('rewards and referral programs are stored; a changed kind is a 409 conflict before any write', async () => {
    const coupon = { id: 'launch', name: 'Launch', type: 'percentage_discount', value: 20, duration: { type: 'months', length: 3 }, plan_ids: null, promo_codes: [{ code: 'LAUNCH', global_max_redemption: null, first_time_transaction: true }] };
    const program = { id: 'ref', reward_id: 'launch', redeem_on: 'checkout', received_by: 'all', max_redemptions: null, plan_ids: null, exclude_trial: false };
    const base = { features: [], plans: [], skip_deletions: true };
    expect((await preview({ ...base, rewards: [{ coupon }], referral_programs: [program] })).reward_changes).toEqual([{ id: 'launch', action: 'created' }]);
    await s.post('/v1/catalog.update', { ...base, rewards: [{ coupon }], referral_programs: [program] });
    expect((await s.post('/v1/rewards.list', {})).body.coupons).toEqual([{ ...coupon, created_at: expect.any(Number) }]);
    expect((await s.post('/v1/referral_programs.list', {})).body.list).toEqual([{ ...program, created_at: expect.any(Number) }]);
    const grant = { id: 'launch', name: 'Launch', grants: [{ feature_id: 'messages', included: 10, expiry: null }], promo_codes: [{ code: 'X', max_uses: null }] };
    const conflict = await s.post('/v1/catalog.update', { ...base, rewards: [{ feature_grant: grant }] });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'config_resource_conflict', message: 'Config resources already exist with different definitions: launch' });
  });

  test('a credit system removed together with its metered feature: both deleted, neither kept for the other', async () => {
    const tokens = { feature_id: 'tokens', name: 'Tokens', type: 'metered', consumable: true };
    const credits = { feature_id: 'credits', name: 'Credits', type: 'credit_system', credit_schema: [{ metered_feature_id: 'tokens', credit_cost: 2 }] };
    const ai = { plan_id: 'ai', name: 'AI', licenses: [], items: [{ feature_id: 'credits', included: 100, reset: { interval: 'month' } }] };
    await s.post('/v1/catalog.update', { features: [tokens, credits], plans: [ai], skip_deletions: true });
    // Everything else stays out of it: skipped, or archived (which removals leave alone).
    const removeAll = { features: [], plans: [], rewards: [], referral_programs: [], skip_deletions: false, skip_feature_ids: ['messages', 'sso'], skip_plan_ids: ['free'] };
    const p = await preview(removeAll);
    expect(p.plan_changes.filter((c: any) => c.action === 'deleted').map((c: any) => [c.plan_id, c.will_archive])).toEqual([['ai', false]]);
    expect(p.feature_changes.filter((c: any) => c.action === 'remove').map((c: any) => [c.feature_id, c.will_archive])).toEqual([['tokens', false], ['credits', false]]);
    expect((await s.post('/v1/catalog.update', removeAll)).status).toBe(200);
    const left = (await s.post('/v1/features.list')).body.list.map((f: any) => f.id);
    expect(left).toEqual(['seats', 'summaries', 'messages', 'sso']);
  });

  test('ids named like Object members (constructor, toString) are ordinary ids end to end', async () => {
    const body = {
      features: [{ feature_id: 'constructor', name: 'C', type: 'metered', consumable: true }],
      plans: [{ plan_id: 'toString', name: 'T', licenses: [], items: [{ feature_id: 'constructor', included: 5 }] }],
      skip_deletions: true,
    };
    const p = await preview(body);
    expect(p.feature_changes.map((c: any) => [c.feature_id, c.action])).toEqual([['constructor', 'create']]);
    expect(p.plan_changes.map((c: any) => [c.plan_id, c.action])).toEqual([['toString', 'created']]);
    expect((await s.post('/v1/catalog.update', body)).status).toBe(200);
    expect((await preview(body)).feature_changes.map((c: any) => c.action)).toEqual(['none']);
    await s.post('/v1/customers.get_or_create', { customer_id: 'proto', auto_enable_plan_id: 'toString' });
    const tracked = await s.post('/v1/balances.track', { customer_id: 'proto', feature_id: 'constructor', value: 2 });
    expect(tracked.body).toMatchObject({ feature_id: 'constructor', applied: 2, balance: { granted: 5, remaining: 3 } });
  });
});
