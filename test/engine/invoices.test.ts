import { describe, expect, it } from 'vitest';
import type { Tier } from '../../src/catalog/schema.ts';
import { at, catalog, create, errorCode, item, metered, plan, price, setup, slice } from './helpers.ts';

const lines = (inv: { lines: { kind: string; quantity: number; amount: number }[] } | null | undefined) => inv?.lines.map((l) => [l.kind, l.quantity, l.amount]);

describe('Example 8.A: the team plan renewal', () => {
  it('$30 base in advance + 4 extra seats in arrear = $150', () => {
    const e = setup(catalog([metered('seats', false), metered('summaries')], [plan('team', [
      item('seats', { included: 1, price: price({ amount: 30 }) }),
      item('summaries', { included: 50, reset: 'month', entityFeatureId: 'seats' }),
    ], { base: 30 })]), { start: at('2026-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'team' });
    create(e, 'seats', 'a', 'b', 'c', 'd', 'e');
    const inv = e.advanceTo('c', at('2026-02-01T00:00:00Z')).invoices[0];
    expect(inv?.total).toBe(150);
    expect(inv?.lines).toMatchObject([
      { kind: 'base', timing: 'advance', quantity: 1, amount: 30, period_start: at('2026-02-01T00:00:00Z'), period_end: at('2026-03-01T00:00:00Z') },
      { kind: 'seats', timing: 'arrear', feature_id: 'seats', quantity: 4, amount: 120, period_start: at('2026-01-01T00:00:00Z'), period_end: at('2026-02-01T00:00:00Z') },
    ]);
  });
});

describe('Example 8.B: summing before rounding', () => {
  it('bills 8 packs for 55 + 23 overage, not 9', () => {
    const e = setup(catalog([metered('users', false), metered('messages')], [plan('p', [
      item('messages', { included: 100, reset: 'month', entityFeatureId: 'users', price: price({ amount: 1, billingUnits: 10 }) }),
    ], { base: 20 })]), { start: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    create(e, 'users', 'e1', 'e2');
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'e1', value: 155 });
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'e2', value: 123 });
    const inv = e.advanceTo('c', at('2025-02-01T00:00:00Z')).invoices[0];
    expect(lines(inv)).toEqual([['base', 1, 20], ['usage', 80, 8]]);
    expect(inv?.total).toBe(28);
    expect([slice(e, 'messages', 'e1'), slice(e, 'messages', 'e2')]).toEqual([100, 100]);
  });
});

describe('Example 8.C: tiers', () => {
  const tiers: Tier[] = [{ to: 11000, amount: 0.002, flatAmount: null }, { to: 'inf', amount: 0.001, flatAmount: null }];
  const bill = (behavior: 'graduated' | 'volume', used: number) => {
    const e = setup(catalog([metered('api_calls')], [plan('p', [
      item('api_calls', { included: 1000, price: price({ tiers, tierBehavior: behavior }) }),
    ])]), { start: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    e.track({ customerId: 'c', featureId: 'api_calls', value: used });
    return lines(e.advanceTo('c', at('2025-02-01T00:00:00Z')).invoices[0]);
  };
  it('graduated: 10000 × 0.002 + 10000 × 0.001 = $30', () => expect(bill('graduated', 21000)).toEqual([['usage', 20000, 30]]));
  it('volume: 20000 × 0.001 = $20', () => expect(bill('volume', 21000)).toEqual([['usage', 20000, 20]]));
  it('a quantity on a moved bound falls in the lower tier', () => {
    expect(bill('graduated', 11000)).toEqual([['usage', 10000, 20]]);
    expect(bill('volume', 11000)).toEqual([['usage', 10000, 20]]);
  });
  it('no overage: a $0.00 line, still listed', () => expect(bill('graduated', 900)).toEqual([['usage', 0, 0]]));
  it('flat amounts are added once per tier reached', () => {
    const t: Tier[] = [{ to: 10, amount: 1, flatAmount: 5 }, { to: 'inf', amount: 0.5, flatAmount: 2 }];
    const run = (behavior: 'graduated' | 'volume') => {
      const e = setup(catalog([metered('x')], [plan('p', [item('x', { price: price({ tiers: t, tierBehavior: behavior }) })])]), { start: at('2025-01-01T00:00:00Z') });
      e.attach({ customerId: 'c', planId: 'p' });
      e.track({ customerId: 'c', featureId: 'x', value: 14 });
      return lines(e.advanceTo('c', at('2025-02-01T00:00:00Z')).invoices[0]);
    };
    expect(run('graduated')).toEqual([['usage', 14, 10 + 5 + 2 + 2]]);
    expect(run('volume')).toEqual([['usage', 14, 7 + 2]]);
  });
});

describe('Example 8.D: arrear seats', () => {
  it('counts the seats at the end of the period', () => {
    const e = setup(catalog([metered('users', false)], [plan('pro', [item('users', { included: 1, price: price({ amount: 10 }) })], { base: 20 })]), { start: at('2025-01-01T00:00:00Z') });
    expect(lines(e.attach({ customerId: 'c', planId: 'pro' }).invoice)).toEqual([['base', 1, 20]]);
    create(e, 'users', 'u1', 'u2', 'u3');
    expect(e.deleteEntity({ customerId: 'c', entityId: 'u1' }).invoice).toBeNull();
    const inv = e.advanceTo('c', at('2025-02-01T00:00:00Z')).invoices[0];
    expect(lines(inv)).toEqual([['base', 1, 20], ['seats', 1, 10]]);
    expect(inv?.total).toBe(30);
    expect(e.check({ customerId: 'c', featureId: 'users' }).balance?.usage).toBe(2);
  });
});

describe('Scenario 11.3: boundary with overage and a new entity', () => {
  it('bills ceil(13 / 5) packs and resets every slice', () => {
    const e = setup(catalog([metered('seats', false), metered('messages')], [plan('p', [
      item('messages', { included: 20, reset: 'month', entityFeatureId: 'seats', price: price({ amount: 0.5, billingUnits: 5 }) }),
      item('seats', { included: 3 }),
    ], { base: 10 })]), { start: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    create(e, 'seats', 'e1', 'e2');
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'e1', value: 33 });
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'e2', value: 7 });
    expect([slice(e, 'messages', 'e1'), slice(e, 'messages', 'e2')]).toEqual([-13, 13]);
    e.advanceTo('c', at('2025-01-20T00:00:00Z'));
    create(e, 'seats', 'e3');
    expect(slice(e, 'messages', 'e3')).toBe(20);
    const inv = e.advanceTo('c', at('2025-02-01T00:00:00Z')).invoices[0];
    expect(lines(inv)).toEqual([['base', 1, 10], ['usage', 15, 1.5]]);
    expect(inv?.total).toBe(11.5);
    expect([slice(e, 'messages', 'e1'), slice(e, 'messages', 'e2'), slice(e, 'messages', 'e3')]).toEqual([20, 20, 20]);
  });
});

describe('R2.5 prepaid quantities and R8.4', () => {
  const cat = catalog([metered('m')], [plan('p', [item('m', { included: 100, reset: 'month', price: price({ amount: 10, billingUnits: 100, billingMethod: 'prepaid', maxPurchase: 500 }) })])]);
  it('quantity 300 buys 2 packs for $20 and starts the balance at 300; renewals bill the packs again', () => {
    const e = setup(cat, { start: at('2025-01-01T00:00:00Z') });
    const r = e.attach({ customerId: 'c', planId: 'p', quantities: { m: 300 } });
    expect(lines(r.invoice)).toEqual([['prepaid', 200, 20]]);
    expect(r.attachment.prepaid).toEqual({ m: 200 });
    expect(e.check({ customerId: 'c', featureId: 'm' }).balance?.remaining).toBe(300);
    const t = e.track({ customerId: 'c', featureId: 'm', value: 350 });
    expect(t.applied).toBe(300); // a prepaid balance never goes below 0
    expect(lines(e.advanceTo('c', at('2025-02-01T00:00:00Z')).invoices[0])).toEqual([['prepaid', 200, 20]]);
    expect(e.check({ customerId: 'c', featureId: 'm' }).balance?.remaining).toBe(300);
  });
  it('rounds quantities up to whole packs and refuses more than maxPurchase', () => {
    const e = setup(cat);
    expect(e.attach({ customerId: 'c', planId: 'p', quantities: { m: 101 } }).attachment.prepaid).toEqual({ m: 100 });
    const e2 = setup(cat);
    expect(errorCode(() => e2.attach({ customerId: 'c', planId: 'p', quantities: { m: 601 } }))).toBe('invalid_input');
    expect(e2.attachments('c')).toEqual([]);
  });
  it('without a quantity buys nothing and sends no invoice', () => {
    const e = setup(cat);
    const r = e.attach({ customerId: 'c', planId: 'p' });
    expect([r.invoice, e.check({ customerId: 'c', featureId: 'm' }).balance?.remaining]).toEqual([null, 100]);
  });
});

describe('R7.2 / R8.8: cycle synchronisation of entity-level plans', () => {
  it('takes the anchor of the earliest matching attachment and prorates its first period', () => {
    const e = setup(catalog([metered('users', false), metered('m')], [
      plan('org', [], { base: 100 }), plan('seat', [item('m', { included: 5, reset: 'month' })], { base: 31 }),
    ]), { start: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'org' });
    create(e, 'users', 'u1');
    e.advanceTo('c', at('2025-01-11T00:00:00Z'));
    const r = e.attach({ customerId: 'c', planId: 'seat', entityId: 'u1' });
    expect(r.attachment.anchor).toBe(at('2025-01-01T00:00:00Z'));
    expect(r.invoice?.lines).toMatchObject([{ kind: 'base', entity_id: 'u1', amount: 21, prorated: true, period_start: at('2025-01-11T00:00:00Z'), period_end: at('2025-02-01T00:00:00Z') }]);
    const feb = e.advanceTo('c', at('2025-02-01T00:00:00Z')).invoices;
    expect(feb).toHaveLength(1);
    expect(lines(feb[0])).toEqual([['base', 1, 100], ['base', 1, 31]]);
    expect(e.check({ customerId: 'c', featureId: 'm', entityId: 'u1' }).balance?.next_reset_at).toBe(at('2025-03-01T00:00:00Z'));
  });
  it('rounds each line to cents, halves away from zero, and sums the rounded lines', () => {
    const e = setup(catalog([metered('x'), metered('y')], [plan('p', [
      item('x', { price: price({ amount: 0.005 }) }), item('y', { price: price({ amount: 0.005 }) }),
    ])]), { start: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    e.track({ customerId: 'c', featureId: 'x', value: 1 });
    e.track({ customerId: 'c', featureId: 'y', value: 3 });
    const inv = e.advanceTo('c', at('2025-02-01T00:00:00Z')).invoices[0];
    expect(inv?.lines.map((l) => l.amount)).toEqual([0.01, 0.02]);
    expect(inv?.total).toBe(0.03);
    expect(e.previewInvoice('c')?.lines.map((l) => l.amount)).toEqual([0, 0]);
  });
});
