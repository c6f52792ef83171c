import { describe, expect, it } from 'vitest';
import { catalog, create, errorCode, item, metered, plan, price, remaining, setup, slice } from './helpers.ts';

const seatBalance = (e: ReturnType<typeof setup>, planId?: string) => {
  const b = e.check({ customerId: 'c', featureId: 'seats' }).balance;
  return planId === undefined ? b?.breakdown[0]?.balance : b?.breakdown.find((x) => x.plan_id === planId)?.balance;
};
const seatsInUse = (e: ReturnType<typeof setup>) => e.check({ customerId: 'c', featureId: 'seats' }).balance?.usage;

describe('Example 3.A: seat usage and re-use of an id', () => {
  const cat = catalog([metered('seats', false), metered('notes')], [
    plan('starter', [item('seats', { included: 2 }), item('notes', { included: 20, entityFeatureId: 'seats', reset: 'month' })]),
  ]);
  it('follows the table', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'starter' });
    expect([seatsInUse(e), seatBalance(e)]).toEqual([0, 2]);
    const notes = () => {
      const b = e.check({ customerId: 'c', featureId: 'notes' }).balance;
      return [b?.granted, b?.remaining, b?.usage];
    };
    expect(notes()).toEqual([0, 0, 0]);
    expect(e.check({ customerId: 'c', featureId: 'notes' }).balance?.breakdown[0]?.entities).toEqual([]);

    expect(create(e, 'seats', 'a', 'b').warnings).toEqual([]);
    expect([seatsInUse(e), seatBalance(e)]).toEqual([2, 0]);
    expect(notes()).toEqual([40, 40, 0]);

    expect(create(e, 'seats', 'c').warnings).toEqual([{ code: 'seats_over_included', feature_id: 'seats', in_use: 3, included: 2 }]);
    expect([seatsInUse(e), seatBalance(e)]).toEqual([3, -1]);
    expect(notes()).toEqual([60, 60, 0]);

    e.track({ customerId: 'c', featureId: 'notes', entityId: 'b', value: 5 });
    expect([slice(e, 'notes', 'a'), slice(e, 'notes', 'b'), slice(e, 'notes', 'c')]).toEqual([20, 15, 20]);
    expect(notes()).toEqual([60, 55, 5]);

    e.deleteEntity({ customerId: 'c', entityId: 'b' });
    expect([seatsInUse(e), seatBalance(e)]).toEqual([2, 0]);
    expect(notes()).toEqual([40, 40, 0]);

    expect(create(e, 'seats', 'b').warnings).toHaveLength(1);
    expect([seatsInUse(e), seatBalance(e)]).toEqual([3, -1]);
    expect(slice(e, 'notes', 'b')).toBe(20);
    expect(notes()).toEqual([60, 60, 0]);
    expect(e.entities('c').map((x) => x.id)).toEqual(['a', 'c', 'b']);
    const [a, c, b] = e.entities('c');
    expect(a!.seq < c!.seq && c!.seq < b!.seq).toBe(true);
    expect(e.events('c').filter((x) => x.source === 'entity').map((x) => [x.entity_id, x.value])).toEqual([
      ['a', 1], ['b', 1], ['c', 1], ['b', -1], ['b', 1],
    ]);
  });
});

describe('Example 3.B: capped seats', () => {
  const cat = catalog([metered('seats', false)], [
    plan('capped', [item('seats', { included: 0, price: price({ amount: 50, maxPurchase: 2 }) })]),
  ]);
  it('refuses what exceeds included + maxPurchase, all-or-nothing for lists', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'capped' });
    expect(errorCode(() => create(e, 'seats', 'w', 'x', 'y', 'z'))).toBe('feature_limit_reached');
    expect(e.entities('c')).toEqual([]);
    expect(seatsInUse(e)).toBe(0);
    create(e, 'seats', '1');
    create(e, 'seats', '2');
    expect(seatsInUse(e)).toBe(2);
    let message = '';
    try { create(e, 'seats', '3'); } catch (error) { message = (error as Error).message; }
    expect(message).toBe("Creating '3' would put 'seats' at 3, above its limit of 2. Raise maxPurchase or delete an entity.");
    expect(seatsInUse(e)).toBe(2);
    expect(e.entities('c').map((x) => x.id)).toEqual(['1', '2']);
  });
});

describe('R3.7: seats are counted once across plans', () => {
  const cat = catalog([metered('seats', false)], [
    plan('base', [item('seats', { included: 4 })]),
    plan('extra', [item('seats', { included: 2, price: price({ amount: 5, billingMethod: 'prepaid' }) })], { addOn: true }),
    plan('pro', [item('seats', { included: 1, price: price({ amount: 10 }) })], { base: 20 }),
    plan('five', [item('seats', { included: 5 })], { addOn: true }),
  ]);
  for (const order of [['base', 'extra'], ['extra', 'base']]) {
    it(`base 4 free + add-on 2 prepaid, attached ${order.join(' then ')}: granted 6, usage 1, remaining 5`, () => {
      const e = setup(cat);
      e.attach({ customerId: 'c', planId: order[0] as string, ...(order[0] === 'extra' ? { quantities: { seats: 2 } } : {}) });
      create(e, 'seats', 'u1');
      e.attach({ customerId: 'c', planId: order[1] as string, ...(order[1] === 'extra' ? { quantities: { seats: 2 } } : {}) });
      const b = e.check({ customerId: 'c', featureId: 'seats' }).balance;
      expect([b?.granted, b?.usage, b?.remaining]).toEqual([6, 1, 5]);
    });
  }
  it('an add-on with 5 free seats re-spreads 3 seats: pro 0, add-on 3, nothing billed', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'pro' });
    create(e, 'seats', 'u1', 'u2', 'u3');
    expect(seatBalance(e, 'pro')).toBe(-2);
    e.attach({ customerId: 'c', planId: 'five' });
    expect(seatBalance(e, 'pro')).toBe(0);
    expect(seatBalance(e, 'five')).toBe(3);
    const next = e.advanceTo('c', Date.parse('2025-02-01T00:00:00Z'));
    expect(next.invoices[0]?.lines.map((l) => [l.kind, l.amount])).toEqual([['base', 20], ['seats', 0]]);
  });
});

describe('R3.8: deleting an entity', () => {
  const cat = catalog([metered('seats', false), metered('messages')], [
    plan('p', [item('seats', { included: 1, price: price({ amount: 10 }) }), item('messages', { included: 10, entityFeatureId: 'seats', reset: 'month', price: price({ amount: 1 }) })]),
  ]);
  it('gives the seat back, removes the slice with its usage, and frees the id', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'p' });
    create(e, 'seats', 'a', 'b');
    e.track({ customerId: 'c', featureId: 'messages', entityId: 'b', value: 15 });
    expect(remaining(e, 'messages')).toBe(10);
    expect(e.check({ customerId: 'c', featureId: 'messages' }).balance?.usage).toBe(15);
    e.deleteEntity({ customerId: 'c', entityId: 'b' });
    expect(seatsInUse(e)).toBe(1);
    expect(e.check({ customerId: 'c', featureId: 'messages' }).balance?.usage).toBe(0);
    expect(errorCode(() => e.check({ customerId: 'c', featureId: 'messages', entityId: 'b' }))).toBe('entity_not_found');
    // Its overage is never billed (R8.5): the next invoice has a $0 usage line.
    const inv = e.advanceTo('c', Date.parse('2025-02-01T00:00:00Z')).invoices[0];
    expect(inv?.lines.find((l) => l.kind === 'usage')?.amount).toBe(0);
  });
});

describe('R3.11: auto-creation from check and track', () => {
  const cat = catalog([metered('users', false), metered('messages'), metered('seats', false)], [
    plan('free', [item('messages', { included: 10, entityFeatureId: 'users', reset: 'month' })]),
    plan('paid', [item('seats', { included: 1, price: price({ amount: 5 }) }), item('messages', { included: 10, entityFeatureId: 'seats' })]),
  ]);
  it('creates an entity of the one linked feature, and the creation survives a refusal', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'free' });
    const r = e.check({ customerId: 'c', featureId: 'messages', entityId: 'u9' });
    expect(r.entity_created).toBe(true);
    expect(r.allowed).toBe(true);
    expect(e.entities('c').map((x) => [x.id, x.feature_id])).toEqual([['u9', 'users']]);
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'messages', entityId: 'u10', value: 11, overageBehavior: 'reject' }))).toBe('insufficient_balance');
    expect(e.entities('c').map((x) => x.id)).toEqual(['u9', 'u10']);
    expect(slice(e, 'messages', 'u10')).toBe(10);
  });
  it('refuses billable entity features and unknown links with entity_not_found and a hint', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'paid' });
    let message = '';
    try { e.track({ customerId: 'c', featureId: 'messages', entityId: 'user_7' }); } catch (error) { message = (error as Error).message; }
    expect(message).toBe("Entity 'user_7' does not exist for customer 'c'. 'seats' is billable, so create 'user_7' explicitly with entities.create.");
    const e2 = setup(cat);
    e2.attach({ customerId: 'c', planId: 'free' });
    e2.attach({ customerId: 'c', planId: 'paid' });
    expect(errorCode(() => e2.check({ customerId: 'c', featureId: 'messages', entityId: 'x' }))).toBe('entity_not_found');
    expect(e2.check({ customerId: 'c', featureId: 'messages', entityId: 'x', entityData: { featureId: 'users' } }).entity_created).toBe(true);
  });
});
