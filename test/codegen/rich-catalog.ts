import type { Catalog } from '../../src/catalog/schema.ts';
import { catalog, feature, item, monthly, plan, usagePrice } from '../sync/catalog-builders.ts';

/** A Catalog that uses every field codegen writes, ids that are not identifiers, and strings that need escaping. */
export function richCatalog(): Catalog {
  return catalog(
    [
      feature('a-b', { name: "It's \"quoted\" \\ back" }),
      feature('a_b', { name: 'Line\nbreak\ttab \u2028 sep' }),
      feature('class', { type: 'boolean', consumable: false, name: 'Class' }),
      feature('1st-feature', { eventNames: ['b.event', 'a.event'], name: 'Ünïcödé 🚀' }),
      feature('seats', { consumable: false, archived: true }),
      feature('pro', { name: 'Pro feature' }),
      feature('credits', {
        type: 'credit_system',
        creditSchema: [
          { meteredFeatureId: 'a-b', creditCost: 2.5 },
          { meteredFeatureId: 'a_b', creditCost: 1 },
        ],
      }),
    ],
    [
      plan('pro', [item('pro', { unlimited: true })], { description: 'It\'s ${not} a `template`', group: 'main', addOn: true }),
      plan('1st-plan', [
        item('a-b', {
          included: 100,
          reset: { interval: 'week', intervalCount: 2 },
          price: usagePrice(0, {
            billingMethod: 'prepaid',
            billingUnits: 10,
            maxPurchase: 1000,
            rate: { kind: 'tiered', tierBehavior: 'volume', tiers: [{ to: 500, amount: 1, flatAmount: 5 }, { to: 'inf', amount: 0.5, flatAmount: null }] },
          }),
          rollover: { max: 50, maxPercentage: null, expiryDurationType: 'month', expiryDurationLength: 3 },
          proration: { onIncrease: 'prorate', onDecrease: 'no_action' },
        }),
        item('a_b', { included: 5, reset: monthly, entityFeatureId: 'seats', rollover: { max: null, maxPercentage: 25, expiryDurationType: 'forever', expiryDurationLength: 1 } }),
        item('class'),
        item('credits', { included: 200, reset: monthly }),
      ], {
        autoEnable: true,
        archived: true,
        price: { amount: 99.99, interval: 'month', intervalCount: 3 },
        freeTrial: { durationLength: 1, durationType: 'month', cardRequired: false },
        billingControls: { spend_limits: [{ feature_id: 'a-b', limit: 10 }], 'odd-key': true },
      }),
    ],
  );
}
