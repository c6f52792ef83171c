// Property-based tests: random operation sequences keep the invariants of semantics.md §9.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, restoreEngine, type Engine, type EntityOrder } from '../../src/engine/index.ts';
import { AtmnError } from '../../src/errors.ts';
import { catalog, credits, item, metered, plan, price, T0 } from './helpers.ts';

const cat = catalog([metered('seats', false), metered('messages'), credits('credits', { messages: 2.5 })], [
  plan('base', [
    item('seats', { included: 2 }),
    item('messages', { included: 30, reset: 'month', rollover: { max: 20, maxPercentage: null, expiryDurationType: 'month', expiryDurationLength: 1 } }),
    item('messages', { included: 10, reset: 'month', entityFeatureId: 'seats', price: price({ amount: 1, maxPurchase: 5 }) }),
    item('credits', { included: 25, reset: 'week' }),
  ], { base: 10 }),
  plan('extra', [item('messages', { included: 7, entityFeatureId: 'seats' }), item('seats', { included: 1, price: price({ amount: 3 }) })], { addOn: true }),
  plan('entityPlan', [item('messages', { included: 15, reset: 'month' })]),
]);

type Op =
  | { kind: 'create'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'track'; entity: string | null; value: number; reject: boolean; key: string | null }
  | { kind: 'attachExtra' }
  | { kind: 'attachEntity'; id: string }
  | { kind: 'advance'; hours: number };

const ids = ['a', 'b', 'c', 'd', 'user-10', 'user-9'];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), id: fc.constantFrom(...ids) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...ids) }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('track' as const),
      entity: fc.option(fc.constantFrom(...ids), { nil: null }),
      value: fc.integer({ min: -40, max: 80 }).map((n) => n / 2),
      reject: fc.boolean(),
      key: fc.option(fc.constantFrom('k1', 'k2'), { nil: null, freq: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'attachExtra' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('attachEntity' as const), id: fc.constantFrom(...ids) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 24 * 40 }) }) },
);

const EXPECTED = new Set(['entity_not_found', 'entity_already_exists', 'insufficient_balance', 'duplicate_idempotency_key', 'invalid_input', 'feature_limit_reached']);

function apply(e: Engine, op: Op): unknown {
  try {
    switch (op.kind) {
      case 'create': return e.createEntities({ customerId: 'c', entities: [{ id: op.id, featureId: 'seats' }] });
      case 'delete': return e.deleteEntity({ customerId: 'c', entityId: op.id });
      case 'track': return e.track({ customerId: 'c', featureId: 'messages', entityId: op.entity, value: op.value, overageBehavior: op.reject ? 'reject' : 'cap', idempotencyKey: op.key });
      case 'attachExtra': return e.attach({ customerId: 'c', planId: 'extra' });
      case 'attachEntity': return e.attach({ customerId: 'c', planId: 'entityPlan', entityId: op.id });
      case 'advance': return e.advanceTo('c', e.now('c') + op.hours * 3_600_000);
    }
  } catch (error) {
    if (error instanceof AtmnError && EXPECTED.has(error.code)) return { error: error.code };
    throw error;
  }
}

function fresh(order: EntityOrder): Engine {
  const e = createEngine(cat, { entityOrder: order });
  e.createCustomer({ id: 'c', now: T0 });
  e.attach({ customerId: 'c', planId: 'base' });
  return e;
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

function checkInvariants(e: Engine, trackedSeatsDirectly: boolean): void {
  const customer = e.check({ customerId: 'c', featureId: 'messages' }).balance;
  const entities = e.entities('c');
  const hasEntityPlans = e.attachments('c').some((a) => a.scope === 'entity');
  if (customer !== null) {
    const pool = customer.breakdown.filter((b) => b.owner === 'customer');
    const poolRemaining = pool.reduce((s, b) => s + b.remaining, 0);
    // I9.1 via the entity views: each entity sees its slices + the pool (I9.2).
    if (!hasEntityPlans) {
      let sum = poolRemaining;
      for (const ent of entities) sum += (e.check({ customerId: 'c', featureId: 'messages', entityId: ent.id }).balance?.remaining ?? 0) - poolRemaining;
      expect(close(sum, customer.remaining)).toBe(true);
    }
    // I9.4: nothing above its grant; I9.5: negatives only where allowed.
    for (const b of customer.breakdown) {
      for (const s of b.entities ?? [{ balance: b.balance, granted: b.granted, rollovers: b.rollovers }]) {
        const own = s.granted - s.rollovers.reduce((x, r) => x + r.granted, 0);
        expect(s.balance <= own + 1e-9).toBe(true);
        for (const r of s.rollovers) expect(r.balance <= r.granted + 1e-9 && r.balance >= 0).toBe(true);
        if (s.balance < 0) {
          expect(b.billing).toBe('usage_based');
          expect(s.balance >= -(b.max_purchase ?? Infinity) / Math.max(1, b.entities?.length ?? 1) - 1e-9).toBe(true);
        }
      }
    }
  }
  // I9.3: seat usage = live entities.
  if (!trackedSeatsDirectly) expect(e.check({ customerId: 'c', featureId: 'seats' }).balance?.usage).toBe(entities.length);
}

describe('§9 invariants under random operation sequences', () => {
  it('I9.1–I9.7, I9.9 hold after every step, in both entity orders', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 40 }), fc.constantFrom<EntityOrder>('created', 'id'), (ops, order) => {
      const e = fresh(order);
      for (const op of ops) {
        const eventsBefore = e.events('c').length;
        const others = op.kind === 'track' && op.entity !== null
          ? e.entities('c').filter((x) => x.id !== op.entity).map((x) => [x.id, e.check({ customerId: 'c', featureId: 'messages', entityId: x.id }).balance?.breakdown.filter((b) => b.owner !== 'customer')])
          : null;
        const r = apply(e, op) as { error?: string; applied?: number; value?: number; deductions?: { entity_id: string | null; feature_id: string; amount: number; owner: string }[] };
        if (op.kind === 'track') {
          if (r.error === undefined) {
            // I9.7: exactly one event with the requested value.
            const added = e.events('c').slice(eventsBefore);
            const tracks = added.filter((x) => x.source === 'track');
            expect(tracks.map((x) => [x.value, x.applied])).toEqual([[op.value, r.applied]]);
            // Anything else added is the auto-creation of the tracked entity (R3.11).
            expect(added.filter((x) => x.source === 'entity').map((x) => [x.entity_id, x.value])).toEqual(added.length === 2 ? [[op.entity, 1]] : []);
            // I9.9: the deductions, converted to units, add up to applied.
            const units = (r.deductions ?? []).reduce((s, d) => s + (d.feature_id === 'credits' ? d.amount / 2.5 : d.amount), 0);
            expect(close(units, r.applied as number)).toBe(true);
            // I9.6: an entity-level track never changes another entity; a customer-level one never an entity plan.
            if (op.entity !== null) {
              expect((r.deductions ?? []).every((d) => d.entity_id === op.entity || d.owner === 'customer')).toBe(true);
              for (const [id, before] of others ?? []) {
                expect(e.check({ customerId: 'c', featureId: 'messages', entityId: id as string }).balance?.breakdown.filter((b) => b.owner !== 'customer')).toEqual(before);
              }
            } else expect((r.deductions ?? []).every((d) => d.owner !== 'entity')).toBe(true);
          } else {
            // I9.7: a refused request writes no track event (an auto-creation excepted).
            expect(e.events('c').slice(eventsBefore).filter((x) => x.source === 'track')).toEqual([]);
          }
        }
        checkInvariants(e, false);
      }
    }), { numRuns: 150 });
  });

  it('I9.8: a check is allowed exactly when a reject track of the same amount succeeds', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 25 }), fc.integer({ min: 0, max: 200 }).map((n) => n / 4), fc.option(fc.constantFrom(...ids), { nil: null }),
      (ops, required, entity) => {
        const e = fresh('created');
        for (const op of ops) apply(e, op);
        if (entity !== null && !e.entities('c').some((x) => x.id === entity)) return;
        const allowed = e.check({ customerId: 'c', featureId: 'messages', entityId: entity, requiredBalance: required }).allowed;
        const probe = restoreEngine(cat, JSON.parse(JSON.stringify(e.snapshot())));
        const r = apply(probe, { kind: 'track', entity, value: required, reject: true, key: null }) as { error?: string };
        expect(r.error === undefined).toBe(allowed);
      }), { numRuns: 200 });
  });

  it('I9.11: a duplicate idempotency key leaves the state exactly as it was', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 20 }), fc.integer({ min: 1, max: 20 }), (ops, value) => {
      const e = fresh('created');
      for (const op of ops) apply(e, op);
      apply(e, { kind: 'track', entity: null, value, reject: false, key: 'dup' });
      const before = JSON.stringify(e.snapshot());
      expect(apply(e, { kind: 'track', entity: null, value: value + 1, reject: false, key: 'dup' })).toEqual({ error: 'duplicate_idempotency_key' });
      expect(JSON.stringify(e.snapshot())).toBe(before);
    }), { numRuns: 100 });
  });

  it('I9.12: the same operations give the same state, results and ids; snapshots restore exactly', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 30 }), fc.constantFrom<EntityOrder>('created', 'id'), (ops, order) => {
      const a = fresh(order);
      const b = fresh(order);
      const ra = ops.map((op) => apply(a, op));
      const rb = ops.map((op) => apply(b, op));
      expect(JSON.stringify(ra)).toBe(JSON.stringify(rb));
      expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
      expect(a.invoices('c')).toEqual(b.invoices('c'));
      // A restored engine continues exactly like the original.
      const c = restoreEngine(cat, JSON.parse(JSON.stringify(a.snapshot())));
      const more: Op[] = [{ kind: 'track', entity: null, value: 12, reject: false, key: null }, { kind: 'advance', hours: 24 * 35 }, { kind: 'track', entity: 'a', value: 3, reject: false, key: null }];
      expect(JSON.stringify(more.map((op) => apply(c, op)))).toBe(JSON.stringify(more.map((op) => apply(a, op))));
      expect(JSON.stringify(c.snapshot())).toBe(JSON.stringify(a.snapshot()));
    }), { numRuns: 100 });
  });
});
