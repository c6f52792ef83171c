import { describe, expect, test } from 'vitest';
import type { Catalog, Feature, Item, Plan } from '../../src/catalog/schema.ts';
import { canonicalize, catalogHash, diffCatalogs } from '../../src/sync/index.ts';
import { catalog, feature, item, monthly, plan, usagePrice } from './catalog-builders.ts';

/**
 * wire.md §2.3 "Equivalences our diff applies before comparing": each row is a pair of
 * spellings that mean the same thing, so diffing one against the other must give no change
 * (no phantom diffs), and both must hash the same. The last block checks that the
 * equivalences do not swallow real differences.
 */
function inSync(local: Catalog, remote: Catalog): void {
  expect(diffCatalogs(local, remote).changes).toEqual([]);
  expect(diffCatalogs(remote, local).changes).toEqual([]);
  expect(catalogHash(local)).toBe(catalogHash(remote));
}

const withPlan = (p: Plan, features: Feature[] = [feature('api')]): Catalog => catalog(features, [p]);
const withItem = (i: Item, features: Feature[] = [feature('api'), feature('seats', { consumable: false })]): Catalog =>
  catalog(features, [plan('pro', [i])]);
/** Bypasses the schema, to spell what only a raw remote read could produce. */
const rawPlan = (p: Plan, patch: Record<string, unknown>): Plan => ({ ...p, ...patch }) as Plan;

describe('no phantom diffs (wire.md §2.3)', () => {
  test('description null ≡ empty string', () => {
    inSync(withPlan(plan('pro', [], { description: null })), withPlan(rawPlan(plan('pro'), { description: '' })));
  });

  test('group null ≡ empty string (the Catalog schema already refuses \'\'; canonicalize still folds a raw one)', () => {
    const local = withPlan(plan('pro', [], { group: null }));
    const remote: Catalog = { features: local.features, plans: { pro: rawPlan(plan('pro'), { group: '' }) } };
    inSync(local, remote);
  });

  test('included is ignored when unlimited', () => {
    inSync(withItem(item('api', { unlimited: true, included: 0 })), withItem(item('api', { unlimited: true, included: 500 })));
  });

  test('an item reset equal to its price interval and count ≡ no reset (hosted derives it)', () => {
    inSync(
      withItem(item('api', { included: 100, price: usagePrice(0.01) })),
      withItem(item('api', { included: 100, price: usagePrice(0.01), reset: monthly })),
    );
    const quarterly = { interval: 'month', intervalCount: 3 } as const;
    inSync(
      withItem(item('api', { price: usagePrice(1, quarterly) })),
      withItem(item('api', { price: usagePrice(1, quarterly), reset: quarterly })),
    );
  });

  test('the derived reset is dropped for non-consumable items too (seats priced monthly)', () => {
    inSync(withItem(item('seats', { included: 1, price: usagePrice(30) })), withItem(item('seats', { included: 1, price: usagePrice(30), reset: monthly })));
  });

  test('rollover max null ≡ 0 when maxPercentage is unset', () => {
    const rollover = { maxPercentage: null, expiryDurationType: 'month', expiryDurationLength: 1 } as const;
    inSync(
      withItem(item('api', { included: 10, reset: monthly, rollover: { ...rollover, max: null } })),
      withItem(item('api', { included: 10, reset: monthly, rollover: { ...rollover, max: 0 } })),
    );
  });

  test('eventNames are a set: order and duplicates carry no meaning', () => {
    inSync(catalog([feature('api', { eventNames: ['a', 'b'] })]), catalog([feature('api', { eventNames: ['b', 'a', 'b'] })]));
  });

  test('creditSchema is a set', () => {
    const schema = [
      { meteredFeatureId: 'gpt', creditCost: 2 },
      { meteredFeatureId: 'claude', creditCost: 3 },
    ];
    const features = [feature('gpt'), feature('claude')];
    inSync(
      catalog([...features, feature('credits', { type: 'credit_system', creditSchema: schema })]),
      catalog([...features, feature('credits', { type: 'credit_system', creditSchema: [...schema].reverse() })]),
    );
  });

  test('item order is not compared', () => {
    const items = [item('api', { included: 5, reset: monthly }), item('seats', { included: 2 })];
    inSync(withPlan(plan('pro', items), [feature('api'), feature('seats', { consumable: false })]), withPlan(plan('pro', [...items].reverse()), [
      feature('api'),
      feature('seats', { consumable: false }),
    ]));
  });

  test('boolean features are never consumable, credit systems always are', () => {
    inSync(catalog([feature('sso', { type: 'boolean', consumable: false })]), catalog([feature('sso', { type: 'boolean', consumable: true })]));
    inSync(catalog([feature('credits', { type: 'credit_system', consumable: true })]), catalog([feature('credits', { type: 'credit_system', consumable: false })]));
  });

  test('a tier flatAmount of 0 ≡ none', () => {
    const tiers = (flatAmount: number | null): Item =>
      item('api', {
        price: usagePrice(0, {
          rate: { kind: 'tiered', tiers: [{ to: 100, amount: 1, flatAmount }, { to: 'inf', amount: 0.5, flatAmount: null }], tierBehavior: 'graduated' },
        }),
      });
    inSync(withItem(tiers(null)), withItem(tiers(0)));
  });

  test('billingControls {} ≡ none, and their key order carries no meaning', () => {
    inSync(withPlan(plan('pro', [], { billingControls: null })), withPlan(plan('pro', [], { billingControls: {} })));
    inSync(
      withPlan(plan('pro', [], { billingControls: { spend_limits: [], overage_allowed: true } })),
      withPlan(plan('pro', [], { billingControls: { overage_allowed: true, spend_limits: [] } })),
    );
  });

  test('canonicalize is idempotent', () => {
    const messy = withItem(item('api', { unlimited: true, included: 9, price: usagePrice(1), reset: monthly }));
    expect(canonicalize(canonicalize(messy))).toEqual(canonicalize(messy));
  });
});

describe('real differences survive the equivalences', () => {
  test('a reset that differs from the price interval count is a change', () => {
    const local = withItem(item('api', { price: usagePrice(1, { billingMethod: 'prepaid', intervalCount: 3 }), reset: monthly }));
    const remote = withItem(item('api', { price: usagePrice(1, { billingMethod: 'prepaid', intervalCount: 3 }) }));
    expect(diffCatalogs(local, remote).changes).toHaveLength(1);
    expect(catalogHash(local)).not.toBe(catalogHash(remote));
  });

  test('rollover max 0 vs null is kept apart when maxPercentage is set', () => {
    const rollover = { maxPercentage: 50, expiryDurationType: 'month', expiryDurationLength: 1 } as const;
    const local = withItem(item('api', { included: 10, reset: monthly, rollover: { ...rollover, max: null } }));
    const remote = withItem(item('api', { included: 10, reset: monthly, rollover: { ...rollover, max: 0 } }));
    expect(diffCatalogs(local, remote).changes).toHaveLength(1);
  });

  test('an included amount on a limited item is a change', () => {
    expect(diffCatalogs(withItem(item('api', { included: 5 })), withItem(item('api', { included: 0 }))).changes).toHaveLength(1);
  });

  test('metered consumable vs non-consumable is a change', () => {
    expect(diffCatalogs(catalog([feature('api', { consumable: false })]), catalog([feature('api')])).changes).toHaveLength(1);
  });
});
