import { describe, expect, it } from 'vitest';
import { at, catalog, create, errorCode, item, metered, plan, price, remaining, setup, slice } from './helpers.ts';

describe('Example 6.A: the same plan on the customer and on the entity', () => {
  it('the entity draws on its own plan, then on the pool', () => {
    const e = setup(catalog([metered('users', false), metered('messages')], [plan('P', [item('messages', { included: 100, reset: 'month' })])]));
    e.attach({ customerId: 'c', planId: 'P' });
    create(e, 'users', 'e1');
    e.attach({ customerId: 'c', planId: 'P', entityId: 'e1' });
    const own = () => e.check({ customerId: 'c', featureId: 'messages', entityId: 'e1' }).balance?.breakdown.find((b) => b.owner === 'entity')?.balance;
    const pool = () => e.check({ customerId: 'c', featureId: 'messages' }).balance?.breakdown.find((b) => b.owner === 'customer')?.balance;
    const row = () => [own(), pool(), remaining(e, 'messages', 'e1'), remaining(e, 'messages')];
    expect(row()).toEqual([100, 100, 200, 200]);
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'e1', value: 50 });
    expect(row()).toEqual([50, 100, 150, 150]);
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'e1', value: 120 });
    expect(row()).toEqual([0, 30, 30, 30]);
  });
});

describe('Example 6.B: customer-level allowed ignores entity plans', () => {
  it('displays entity plans but never deducts them at customer level', () => {
    const e = setup(catalog([metered('users', false), metered('messages')], [
      plan('cust', [item('messages', { included: 40 })]), plan('ent', [item('messages', { included: 100 })]),
    ]));
    e.attach({ customerId: 'c', planId: 'cust' });
    create(e, 'users', 'e1', 'e2');
    e.attach({ customerId: 'c', planId: 'ent', entityId: 'e1' });
    e.attach({ customerId: 'c', planId: 'ent', entityId: 'e2' });
    const c1 = e.check({ customerId: 'c', featureId: 'messages', requiredBalance: 50 });
    expect([c1.allowed, c1.balance?.remaining]).toEqual([false, 240]);
    expect(c1.balance?.breakdown.map((b) => [b.owner, b.entity_id, b.deductible])).toEqual([
      ['customer', null, true], ['entity', 'e1', false], ['entity', 'e2', false],
    ]);
    const t = e.track({ customerId: 'c', featureId: 'messages', value: 70 });
    expect([t.applied, remaining(e, 'messages'), remaining(e, 'messages', 'e1')]).toEqual([40, 200, 100]);
  });
  it('a customer whose only grants are entity-attached sees them with allowed false', () => {
    const e = setup(catalog([metered('users', false), metered('messages')], [plan('ent', [item('messages', { included: 100 })])]));
    create(e, 'users', 'e1');
    e.attach({ customerId: 'c', planId: 'ent', entityId: 'e1' });
    const c = e.check({ customerId: 'c', featureId: 'messages' });
    expect([c.allowed, c.balance?.remaining]).toEqual([false, 100]);
  });
});

describe('Scenario 11.2: entity plan plus per-entity slice', () => {
  it('follows the table', () => {
    const e = setup(catalog([metered('users', false), metered('messages')], [
      plan('A', [item('messages', { included: 100, reset: 'month', entityFeatureId: 'users' })]),
      plan('B', [item('messages', { included: 50, reset: 'month' })]),
    ]));
    e.attach({ customerId: 'c', planId: 'A' });
    create(e, 'users', 'e1', 'e2');
    e.attach({ customerId: 'c', planId: 'B', entityId: 'e1' });
    const planB = () => e.check({ customerId: 'c', featureId: 'messages', entityId: 'e1' }).balance?.breakdown.find((b) => b.plan_id === 'B')?.balance;
    const basis = () => {
      let cap = 0;
      for (let r = 300; r >= 0; r -= 10) if (e.check({ customerId: 'c', featureId: 'messages', requiredBalance: r }).allowed) { cap = r; break; }
      return cap;
    };
    const row = () => [slice(e, 'messages', 'e1'), planB(), slice(e, 'messages', 'e2'), remaining(e, 'messages', 'e1'), remaining(e, 'messages'), basis()];
    expect(row()).toEqual([100, 50, 100, 150, 250, 200]);
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'e1', value: 120 });
    expect(row()).toEqual([0, 30, 100, 30, 130, 100]);
    e.track({ customerId: 'c', featureId: 'messages', value: 40 });
    expect(row()).toEqual([0, 30, 60, 30, 90, 60]);
  });
});

describe('Example 6.C: a switch within a group, mid-period', () => {
  const cat = catalog([metered('users', false), metered('messages')], [
    plan('pro', [item('users', { included: 1, price: price({ amount: 10 }) }), item('messages', { included: 100, reset: 'month', price: price({ amount: 1, billingUnits: 10 }) })], { base: 20, group: 'main' }),
    plan('max', [item('users', { included: 10 }), item('messages', { included: 1000, reset: 'month' })], { base: 50, group: 'main' }),
  ]);
  it('ends pro at once with its arrears and attaches max on its own anchor', () => {
    const e = setup(cat, { start: at('2025-01-01T00:00:00Z') });
    const bal = (f: string) => e.check({ customerId: 'c', featureId: f }).balance?.breakdown.map((b) => [b.plan_id, b.balance]);
    expect(e.attach({ customerId: 'c', planId: 'pro' }).invoice?.total).toBe(20);
    create(e, 'users', 'u1', 'u2', 'u3');
    expect(bal('users')).toEqual([['pro', -2]]);
    e.advanceTo('c', at('2025-01-10T00:00:00Z'));
    e.track({ customerId: 'c', featureId: 'messages', value: 130 });
    expect(bal('messages')).toEqual([['pro', -30]]);
    e.advanceTo('c', at('2025-01-16T00:00:00Z'));
    const sw = e.attach({ customerId: 'c', planId: 'max' });
    expect(sw.ended.map((a) => a.plan_id)).toEqual(['pro']);
    expect(sw.invoice?.total).toBe(73);
    expect(sw.invoice?.lines.map((l) => [l.plan_id, l.kind, l.quantity, l.amount, new Date(l.period_start).toISOString().slice(0, 10), new Date(l.period_end).toISOString().slice(0, 10)])).toEqual([
      ['pro', 'usage', 30, 3, '2025-01-01', '2025-01-16'],
      ['pro', 'seats', 2, 20, '2025-01-01', '2025-01-16'],
      ['max', 'base', 1, 50, '2025-01-16', '2025-02-16'],
    ]);
    expect(bal('users')).toEqual([['max', 7]]);
    expect(bal('messages')).toEqual([['max', 1000]]);
    expect(e.advanceTo('c', at('2025-02-15T00:00:00Z')).invoices).toEqual([]);
    const feb16 = e.advanceTo('c', at('2025-02-16T00:00:00Z')).invoices;
    expect(feb16.map((i) => i.total)).toEqual([50]);
    expect(bal('users')).toEqual([['max', 7]]);
    expect(e.attachments('c').map((a) => a.plan_id)).toEqual(['max']);
  });
  it('a refused switch changes nothing', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'pro' });
    create(e, 'users', 'u1');
    expect(errorCode(() => e.attach({ customerId: 'c', planId: 'max', entityId: 'nope' }))).toBe('entity_not_found');
    expect(errorCode(() => e.attach({ customerId: 'c', planId: 'max', quantities: { users: 3 } }))).toBe('invalid_input');
    expect(e.attachments('c').map((a) => a.plan_id)).toEqual(['pro']);
  });
});

describe('R6.4 detach and entity deletion', () => {
  it('detach bills the partial period, removes balances and re-spreads seats', () => {
    const e = setup(catalog([metered('seats', false)], [
      plan('base', [item('seats', { included: 2 })]),
      plan('more', [item('seats', { included: 0, price: price({ amount: 10 }) })], { addOn: true }),
    ]), { start: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'base' });
    e.attach({ customerId: 'c', planId: 'more' });
    create(e, 'seats', 'a', 'b', 'c3');
    const seats = () => e.check({ customerId: 'c', featureId: 'seats' }).balance?.breakdown.map((b) => [b.plan_id, b.balance]);
    expect(seats()).toEqual([['base', 0], ['more', -1]]);
    e.advanceTo('c', at('2025-01-20T00:00:00Z'));
    const d = e.detach({ customerId: 'c', planId: 'more' });
    expect(d.invoice?.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([['seats', 1, 10]]);
    expect(seats()).toEqual([['base', -1]]);
    expect(errorCode(() => e.detach({ customerId: 'c', planId: 'more' }))).toBe('invalid_input');
  });
  it('deleting an entity ends its plans and bills their arrears', () => {
    const e = setup(catalog([metered('users', false), metered('messages')], [
      plan('ent', [item('messages', { included: 10, reset: 'month', price: price({ amount: 2 }) })], { base: 5 }),
    ]), { start: at('2025-01-01T00:00:00Z') });
    create(e, 'users', 'e1');
    expect(e.attach({ customerId: 'c', planId: 'ent', entityId: 'e1' }).invoice?.lines[0]).toMatchObject({ kind: 'base', entity_id: 'e1', amount: 5 });
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'e1', value: 13 });
    e.advanceTo('c', at('2025-01-10T00:00:00Z'));
    const del = e.deleteEntity({ customerId: 'c', entityId: 'e1' });
    expect(del.invoice?.lines.map((l) => [l.kind, l.entity_id, l.quantity, l.amount])).toEqual([['usage', 'e1', 3, 6]]);
    expect(e.attachments('c')).toEqual([]);
    expect(e.check({ customerId: 'c', featureId: 'messages' }).balance).toBeNull();
  });
});
