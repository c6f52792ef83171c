/** Builders for Catalog values in engine tests (the Catalog shape of src/catalog/schema.ts, defaults filled). */
import { Catalog, type Feature, type Item, type ItemPrice, type Plan } from '../../src/catalog/schema.ts';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/index.ts';

export const T0 = Date.parse('2025-01-01T00:00:00Z');
export const at = (iso: string): number => Date.parse(iso);

export function metered(id: string, consumable = true): Feature {
  return { id, name: id, type: 'metered', consumable, eventNames: [], creditSchema: [], archived: false };
}
export function boolean(id: string): Feature {
  return { id, name: id, type: 'boolean', consumable: false, eventNames: [], creditSchema: [], archived: false };
}
export function credits(id: string, schema: Record<string, number>): Feature {
  return {
    id, name: id, type: 'credit_system', consumable: true, eventNames: [], archived: false,
    creditSchema: Object.entries(schema).map(([meteredFeatureId, creditCost]) => ({ meteredFeatureId, creditCost })),
  };
}

type PriceInput = Partial<Omit<ItemPrice, 'rate'>> & { amount?: number; tiers?: ItemPrice['rate'] extends infer R ? R extends { kind: 'tiered'; tiers: infer T } ? T : never : never; tierBehavior?: 'graduated' | 'volume' };

export function price(p: PriceInput): ItemPrice {
  return {
    rate: p.tiers !== undefined ? { kind: 'tiered', tiers: p.tiers, tierBehavior: p.tierBehavior ?? 'graduated' } : { kind: 'flat', amount: p.amount ?? 0 },
    interval: p.interval ?? 'month',
    intervalCount: p.intervalCount ?? 1,
    billingUnits: p.billingUnits ?? 1,
    billingMethod: p.billingMethod ?? 'usage_based',
    maxPurchase: p.maxPurchase ?? null,
  };
}

export function item(featureId: string, o: Partial<Omit<Item, 'featureId' | 'reset'>> & { reset?: Item['reset'] | string } = {}): Item {
  const reset = typeof o.reset === 'string' ? { interval: o.reset as NonNullable<Item['reset']>['interval'], intervalCount: 1 } : (o.reset ?? null);
  return {
    featureId, included: o.included ?? 0, unlimited: o.unlimited ?? false, reset, price: o.price ?? null,
    entityFeatureId: o.entityFeatureId ?? null, rollover: o.rollover ?? null, proration: null,
  };
}

export function plan(id: string, items: Item[], o: Partial<Omit<Plan, 'id' | 'items'>> & { base?: number; baseInterval?: Plan['price'] extends infer P ? P extends { interval: infer I } ? I : never : never } = {}): Plan {
  return {
    id, name: id, description: null, group: o.group ?? null, addOn: o.addOn ?? false, autoEnable: o.autoEnable ?? false,
    price: o.base !== undefined ? { amount: o.base, interval: o.baseInterval ?? 'month', intervalCount: 1 } : (o.price ?? null),
    freeTrial: null, items, archived: o.archived ?? false, billingControls: null,
  };
}

export function catalog(features: Feature[], plans: Plan[]): Catalog {
  return Catalog.parse({
    features: Object.fromEntries(features.map((f) => [f.id, f])),
    plans: Object.fromEntries(plans.map((p) => [p.id, p])),
  });
}

/** An engine with one customer 'c' at `start`, no autoEnable plans. */
export function setup(cat: Catalog, options: EngineOptions & { start?: number; customers?: string[] } = {}): Engine {
  const engine = createEngine(cat, options.entityOrder === undefined ? {} : { entityOrder: options.entityOrder });
  for (const id of options.customers ?? ['c']) engine.createCustomer({ id, now: options.start ?? T0 });
  return engine;
}

export function create(engine: Engine, featureId: string, ...ids: string[]) {
  return engine.createEntities({ customerId: 'c', entities: ids.map((id) => ({ id, featureId })) });
}

/** Remaining of a feature for the customer or an entity. */
export function remaining(engine: Engine, featureId: string, entityId?: string): number | null {
  return engine.check({ customerId: 'c', featureId, entityId: entityId ?? null }).balance?.remaining ?? null;
}

/** The raw balance of the slice of `entityId` for feature X (first slice entry of the entity view). */
export function slice(engine: Engine, featureId: string, entityId: string): number | undefined {
  const v = engine.check({ customerId: 'c', featureId, entityId }).balance;
  return v?.breakdown.find((b) => b.owner === 'slice' && b.entity_id === entityId)?.balance;
}

export function errorCode(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'not-an-atmn-error';
  }
}
