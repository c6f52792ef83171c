import { describe, expect, it } from 'vitest';
import { at, catalog, create, credits, errorCode, item, metered, plan, price, remaining, setup, slice, T0 } from './helpers.ts';

describe('Example 4.A: inheritance of the pool', () => {
  it('every entity sees the whole pool', () => {
    const e = setup(catalog([metered('users', false), metered('messages')], [plan('free', [item('messages', { included: 300, reset: 'month' })])]));
    e.attach({ customerId: 'c', planId: 'free' });
    create(e, 'users', 'e1', 'e2', 'e3');
    expect([remaining(e, 'messages'), remaining(e, 'messages', 'e1'), remaining(e, 'messages', 'e2'), remaining(e, 'messages', 'e3')]).toEqual([300, 300, 300, 300]);
    e.track({ customerId: 'c', featureId: 'messages', value: 50 });
    expect([remaining(e, 'messages'), remaining(e, 'messages', 'e1'), remaining(e, 'messages', 'e2'), remaining(e, 'messages', 'e3')]).toEqual([250, 250, 250, 250]);
  });
});

describe('Example 4.B: overage headroom', () => {
  it('allows up to maxPurchase below zero; reject refuses, cap applies what fits', () => {
    const e = setup(catalog([metered('api_calls')], [plan('p', [item('api_calls', { included: 100, price: price({ amount: 0.01, maxPurchase: 50 }) })])]));
    e.attach({ customerId: 'c', planId: 'p' });
    const raw = () => e.check({ customerId: 'c', featureId: 'api_calls' }).balance?.breakdown[0]?.balance;
    e.track({ customerId: 'c', featureId: 'api_calls', value: 130 });
    expect([raw(), remaining(e, 'api_calls')]).toEqual([-30, 0]);
    expect(e.check({ customerId: 'c', featureId: 'api_calls', requiredBalance: 15 }).allowed).toBe(true);
    const c3 = e.check({ customerId: 'c', featureId: 'api_calls', requiredBalance: 25 });
    expect([c3.allowed, c3.balance?.max_purchase, c3.balance?.overage_allowed]).toEqual([false, 50, true]);
    let details: Record<string, unknown> = {};
    try { e.track({ customerId: 'c', featureId: 'api_calls', value: 25, overageBehavior: 'reject' }); } catch (error) { details = (error as { details: Record<string, unknown> }).details; }
    expect(details).toMatchObject({ requested: 25, available: 20 });
    expect(raw()).toBe(-30);
    const t5 = e.track({ customerId: 'c', featureId: 'api_calls', value: 25 });
    expect([t5.applied, raw(), remaining(e, 'api_calls')]).toEqual([20, -50, 0]);
  });
});

describe('Example 5.A: pool plus per-entity slices', () => {
  it('customer-level tracks drain the pool first, then slices in creation order', () => {
    const e = setup(catalog([metered('users', false), metered('messages')], [plan('free', [
      item('messages', { included: 100, reset: 'month' }),
      item('messages', { included: 50, reset: 'month', entityFeatureId: 'users' }),
    ])]));
    e.attach({ customerId: 'c', planId: 'free' });
    create(e, 'users', 'user-1', 'user-2', 'user-3');
    const pool = () => e.check({ customerId: 'c', featureId: 'messages' }).balance?.breakdown[0]?.balance;
    const row = () => [pool(), slice(e, 'messages', 'user-1'), slice(e, 'messages', 'user-2'), slice(e, 'messages', 'user-3'), remaining(e, 'messages'), remaining(e, 'messages', 'user-1')];
    expect(row()).toEqual([100, 50, 50, 50, 250, 150]);
    e.track({ customerId: 'c', featureId: 'messages', value: 50 });
    expect(row()).toEqual([50, 50, 50, 50, 200, 100]);
    e.track({ customerId: 'c', featureId: 'messages', value: 60 });
    expect(row()).toEqual([0, 40, 50, 50, 140, 40]);
    for (const u of ['user-1', 'user-2', 'user-3']) e.track({ customerId: 'c', featureId: 'messages', entityId: u, value: 10 });
    expect(row()).toEqual([0, 30, 40, 40, 110, 30]);
  });
});

describe('Example 5.B: created versus id order', () => {
  const cat = (billing: 'free' | 'usage') => catalog([metered('users', false), metered('tokens')], [plan('p', [
    item('tokens', { included: 50, reset: 'month', entityFeatureId: 'users', ...(billing === 'usage' ? { price: price({ amount: 1 }) } : {}) }),
  ])]);
  const run = (order: 'created' | 'id', billing: 'free' | 'usage', value: number) => {
    const e = setup(cat(billing), { entityOrder: order });
    e.attach({ customerId: 'c', planId: 'p' });
    create(e, 'users', 'user-9');
    create(e, 'users', 'user-10');
    e.track({ customerId: 'c', featureId: 'tokens', value });
    return [slice(e, 'tokens', 'user-9'), slice(e, 'tokens', 'user-10')];
  };
  it('track 70', () => {
    expect(run('created', 'free', 70)).toEqual([0, 30]);
    expect(run('id', 'free', 70)).toEqual([30, 0]);
  });
  it('track 150, usage_based: the overage lands on the first slice in entity order', () => {
    expect(run('created', 'usage', 150)).toEqual([-50, 0]);
    expect(run('id', 'usage', 150)).toEqual([0, -50]);
  });
});

describe('Example 5.C: cap, reject and refunds', () => {
  it('follows the table', () => {
    const e = setup(catalog([metered('messages')], [plan('p', [item('messages', { included: 50 }), item('messages', { included: 100, reset: 'month' })])]));
    e.attach({ customerId: 'c', planId: 'p' });
    const ml = () => {
      const b = e.check({ customerId: 'c', featureId: 'messages' }).balance?.breakdown ?? [];
      return [b.find((x) => x.reset !== null)?.balance, b.find((x) => x.reset === null)?.balance];
    };
    expect(e.track({ customerId: 'c', featureId: 'messages', value: 120 }).applied).toBe(120);
    expect(ml()).toEqual([0, 30]);
    let available: unknown;
    try { e.track({ customerId: 'c', featureId: 'messages', value: 40, overageBehavior: 'reject' }); } catch (error) { available = (error as { details: { available: unknown } }).details.available; }
    expect(available).toBe(30);
    expect(ml()).toEqual([0, 30]);
    expect(e.events('c')).toHaveLength(1);
    const t3 = e.track({ customerId: 'c', featureId: 'messages', value: 40 });
    expect([t3.applied, ...ml()]).toEqual([30, 0, 0]);
    expect(e.events('c').at(-1)).toMatchObject({ value: 40, applied: 30 });
    const t4 = e.track({ customerId: 'c', featureId: 'messages', value: -30 });
    expect([t4.applied, ...ml()]).toEqual([-30, 30, 0]);
    expect(t4.deductions.map((d) => d.amount)).toEqual([-30]);
    const t5 = e.track({ customerId: 'c', featureId: 'messages', value: -500 });
    expect([t5.applied, ...ml()]).toEqual([-120, 100, 50]);
  });
});

describe('Example 5.D: credit system', () => {
  it('covers the rest in credits at 2.5 per unit, exactly', () => {
    const e = setup(catalog([metered('ai_calls'), credits('credits', { ai_calls: 2.5 })], [plan('p', [
      item('ai_calls', { included: 10, reset: 'month' }), item('credits', { included: 100, reset: 'month' }),
    ])]));
    e.attach({ customerId: 'c', planId: 'p' });
    const t1 = e.track({ customerId: 'c', featureId: 'ai_calls', value: 30 });
    expect(t1.applied).toBe(30);
    expect(t1.deductions.map((d) => [d.feature_id, d.amount])).toEqual([['ai_calls', 10], ['credits', 50]]);
    expect([remaining(e, 'ai_calls'), remaining(e, 'credits')]).toEqual([0, 50]);
    const c2 = e.check({ customerId: 'c', featureId: 'ai_calls', requiredBalance: 25 });
    expect(c2.allowed).toBe(false);
    expect(c2.credit_balances).toEqual([{ feature_id: 'credits', granted: 100, remaining: 50, usage: 50, credit_cost: 2.5 }]);
    expect(e.check({ customerId: 'c', featureId: 'ai_calls', requiredBalance: 20 }).allowed).toBe(true);
    const t3 = e.track({ customerId: 'c', featureId: 'ai_calls', value: 25 });
    expect(t3.applied).toBe(20);
    expect([remaining(e, 'ai_calls'), remaining(e, 'credits')]).toEqual([0, 0]);
  });
  it('keeps exact quotients for costs that are not decimal fractions', () => {
    const e = setup(catalog([metered('x'), credits('cr', { x: 3 })], [plan('p', [item('cr', { included: 10 })])]));
    e.attach({ customerId: 'c', planId: 'p' });
    const t = e.track({ customerId: 'c', featureId: 'x', value: 5 });
    expect(t.applied).toBe(3.3333333333); // 10 credits / 3, rounded half-even to 10 dp on the way out
    expect(remaining(e, 'cr')).toBe(0);
    const r = e.track({ customerId: 'c', featureId: 'x', value: -1 });
    expect(r.applied).toBe(-1);
    expect(remaining(e, 'cr')).toBe(3);
    // 3 credits / 3 per unit = exactly 1 unit: a check for 1 passes, for 1.0000000001 not.
    expect(e.check({ customerId: 'c', featureId: 'x', requiredBalance: 1 }).allowed).toBe(true);
    expect(e.check({ customerId: 'c', featureId: 'x', requiredBalance: '1.0000000001' }).allowed).toBe(false);
  });
});

describe('Example 5.E: idempotency', () => {
  it('scopes keys to the customer and to 24 h of its clock', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 100 })])]), { customers: ['A', 'B'], start: at('2025-01-15T10:00:00Z') });
    e.attach({ customerId: 'A', planId: 'p' });
    e.attach({ customerId: 'B', planId: 'p' });
    e.track({ customerId: 'A', featureId: 'm', idempotencyKey: 'k1' });
    e.advanceTo('A', at('2025-01-15T11:00:00Z'));
    let message = '';
    try { e.track({ customerId: 'A', featureId: 'm', idempotencyKey: 'k1', value: 7 }); } catch (error) { message = (error as Error).message; }
    expect(message).toBe("Idempotency key 'k1' was already used at 2025-01-15T10:00:00Z. Use a new key for a new event.");
    expect(e.check({ customerId: 'A', featureId: 'm' }).balance?.remaining).toBe(99);
    expect(e.events('A')).toHaveLength(1);
    expect(e.track({ customerId: 'B', featureId: 'm', idempotencyKey: 'k1' }).applied).toBe(1);
    e.advanceTo('A', at('2025-01-16T09:59:59.999Z'));
    expect(errorCode(() => e.track({ customerId: 'A', featureId: 'm', idempotencyKey: 'k1' }))).toBe('duplicate_idempotency_key');
    e.advanceTo('A', at('2025-01-16T10:00:00Z'));
    expect(e.track({ customerId: 'A', featureId: 'm', idempotencyKey: 'k1' }).applied).toBe(1);
  });
  it('a refused request does not claim its key', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 1 })])]));
    e.attach({ customerId: 'c', planId: 'p' });
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'm', value: 5, overageBehavior: 'reject', idempotencyKey: 'k' }))).toBe('insufficient_balance');
    expect(e.track({ customerId: 'c', featureId: 'm', idempotencyKey: 'k' }).applied).toBe(1);
  });
  it('claims every key of a request: a reuse of either is refused (wire.md §6.1)', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 10 })])]));
    e.attach({ customerId: 'c', planId: 'p' });
    e.track({ customerId: 'c', featureId: 'm', idempotencyKey: 'body', alsoClaim: ['header'] });
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'm', idempotencyKey: 'header' }))).toBe('duplicate_idempotency_key');
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'm', idempotencyKey: 'fresh', alsoClaim: ['body'] }))).toBe('duplicate_idempotency_key');
    // The refused request claimed nothing: 'fresh' is still free.
    expect(e.track({ customerId: 'c', featureId: 'm', idempotencyKey: 'fresh' }).applied).toBe(1);
    expect(e.check({ customerId: 'c', featureId: 'm' }).balance?.remaining).toBe(8);
  });
});

describe('§0 exact decimals', () => {
  it('tracking 0.1 then 0.2 leaves exactly 0.3 used', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 1 })])]));
    e.attach({ customerId: 'c', planId: 'p' });
    e.track({ customerId: 'c', featureId: 'm', value: 0.1 });
    e.track({ customerId: 'c', featureId: 'm', value: 0.2 });
    const b = e.check({ customerId: 'c', featureId: 'm' }).balance;
    expect(b?.usage).toBe(0.3);
    expect(b?.remaining).toBe(0.7);
    expect(e.check({ customerId: 'c', featureId: 'm', requiredBalance: 0.7 }).allowed).toBe(true);
    expect(e.check({ customerId: 'c', featureId: 'm', requiredBalance: '0.70000000000000000001' }).allowed).toBe(false);
    e.track({ customerId: 'c', featureId: 'm', value: '0.0000000000001' });
    expect(e.check({ customerId: 'c', featureId: 'm' }).balance?.usage).toBe(0.3000000000);
  });
});

describe('R5.10 unlimited and R4.3 figures', () => {
  it('an unlimited balance absorbs the whole value and only counts usage', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 5 }), item('m', { unlimited: true })])]));
    e.attach({ customerId: 'c', planId: 'p' });
    const t = e.track({ customerId: 'c', featureId: 'm', value: 1000, overageBehavior: 'reject' });
    expect(t.applied).toBe(1000);
    const b = e.check({ customerId: 'c', featureId: 'm', requiredBalance: 1e9 });
    expect([b.allowed, b.balance?.unlimited, b.balance?.usage, b.balance?.remaining]).toEqual([true, true, 1000, 5]);
  });
  it('nothing visible gives null figures; a track of it applies 0 under cap and fails under reject', () => {
    const e = setup(catalog([metered('m'), metered('n')], [plan('p', [item('m', { included: 5 })])]));
    e.attach({ customerId: 'c', planId: 'p' });
    const c = e.check({ customerId: 'c', featureId: 'n' });
    expect([c.allowed, c.balance]).toEqual([false, null]);
    const t = e.track({ customerId: 'c', featureId: 'n', value: 3 });
    expect([t.applied, t.balance]).toEqual([0, null]);
    expect(e.events('c')).toHaveLength(1);
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'n', overageBehavior: 'reject' }))).toBe('insufficient_balance');
  });
  it('send_event deducts the required balance only when allowed', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 5 })])]), { start: T0 });
    e.attach({ customerId: 'c', planId: 'p' });
    const ok = e.check({ customerId: 'c', featureId: 'm', requiredBalance: 3, sendEvent: true });
    expect([ok.allowed, ok.balance?.remaining, ok.track?.applied]).toEqual([true, 2, 3]);
    const no = e.check({ customerId: 'c', featureId: 'm', requiredBalance: 3, sendEvent: true });
    expect([no.allowed, no.balance?.remaining, no.track]).toEqual([false, 2, undefined]);
    expect(e.events('c')).toHaveLength(1);
  });
});

describe('R1.9 events', () => {
  it('record value, applied, key, properties and the timestamp label', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 2 })])]), { start: at('2025-01-15T10:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    e.track({ customerId: 'c', featureId: 'm', value: 3, idempotencyKey: 'k', properties: { model: 'x' }, timestamp: at('2025-01-15T09:00:00Z') });
    expect(e.events('c')).toEqual([{
      id: 'evt_1', source: 'track', customer_id: 'c', entity_id: null, feature_id: 'm', value: 3, applied: 2,
      idempotency_key: 'k', properties: { model: 'x' }, timestamp: at('2025-01-15T09:00:00Z'),
    }]);
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'm', timestamp: at('2025-01-15T10:00:01Z') }))).toBe('invalid_input');
  });
});
