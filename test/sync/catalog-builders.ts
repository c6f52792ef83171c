import { Catalog, Feature, Item, Plan } from '../../src/catalog/schema.ts';

/**
 * Terse builders for Catalog values in tests: defaults filled as the Catalog defines them,
 * overrides merged, and the result parsed by the Catalog schema so a test can never build
 * a Catalog that the real pipeline could not produce.
 */
export function feature(id: string, overrides: Partial<Feature> = {}): Feature {
  return Feature.parse({
    id,
    name: id[0]!.toUpperCase() + id.slice(1),
    type: 'metered',
    consumable: true,
    eventNames: [],
    creditSchema: [],
    archived: false,
    ...overrides,
  });
}

export function item(featureId: string, overrides: Partial<Item> = {}): Item {
  return Item.parse({
    featureId,
    included: 0,
    unlimited: false,
    reset: null,
    price: null,
    entityFeatureId: null,
    rollover: null,
    proration: null,
    ...overrides,
  });
}

export function plan(id: string, items: Item[] = [], overrides: Partial<Plan> = {}): Plan {
  return Plan.parse({
    id,
    name: id[0]!.toUpperCase() + id.slice(1),
    description: null,
    group: null,
    addOn: false,
    autoEnable: false,
    price: null,
    freeTrial: null,
    items,
    archived: false,
    billingControls: null,
    ...overrides,
  });
}

export function catalog(features: Feature[], plans: Plan[] = []): Catalog {
  return Catalog.parse({
    features: Object.fromEntries(features.map((value) => [value.id, value])),
    plans: Object.fromEntries(plans.map((value) => [value.id, value])),
  });
}

export const monthly = { interval: 'month', intervalCount: 1 } as const;

export function usagePrice(amount: number, overrides: Partial<NonNullable<Item['price']>> = {}): NonNullable<Item['price']> {
  return {
    rate: { kind: 'flat', amount },
    interval: 'month',
    intervalCount: 1,
    billingUnits: 1,
    billingMethod: 'usage_based',
    maxPurchase: null,
    ...overrides,
  };
}

/**
 * The seat-based team example of the foundation issue (issue #2), as a Catalog:
 * seats (non-consumable), summaries per seat, a free plan and a team plan.
 */
export function teamExample(): Catalog {
  return catalog(
    [feature('seats', { consumable: false }), feature('summaries', { name: 'Meeting Summaries' })],
    [
      plan('free', [item('seats', { included: 1 }), item('summaries', { included: 5, reset: monthly, entityFeatureId: 'seats' })], {
        autoEnable: true,
      }),
      plan(
        'team',
        [
          item('seats', { included: 1, price: usagePrice(30) }),
          item('summaries', { included: 50, reset: monthly, entityFeatureId: 'seats' }),
        ],
        { price: { amount: 30, interval: 'month', intervalCount: 1 } },
      ),
    ],
  );
}
