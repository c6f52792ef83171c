import { expect, test } from 'vitest';
import { catalogFromWire } from '../../src/remote/wire-read.ts';
import { diffCatalogs } from '../../src/sync/index.ts';
import { catalog, feature, item, monthly, plan, usagePrice } from './catalog-builders.ts';

/**
 * The same pricing as hosted Autumn answers `features.list` / `plans.list` for it, with every
 * spelling wire.md §2.3 allows (derived reset, rollover max 0, tier flat_amount 0, absent
 * defaults, event names in another order, never-diffed keys), read by the remote module's
 * wire reader, must diff empty against the config's Catalog: pull → diff exits 0.
 */
test('a hosted read of the config pushed earlier shows no changes', () => {
  const config = catalog(
    [
      feature('messages', { eventNames: ['chat.sent', 'chat.edited'] }),
      feature('seats', { consumable: false }),
      feature('sso', { name: 'SSO', type: 'boolean', consumable: false }),
    ],
    [
      plan('pro', [
        item('seats', { included: 5, price: usagePrice(10) }),
        item('messages', {
          included: 1000,
          entityFeatureId: 'seats',
          price: usagePrice(0.01, { billingUnits: 100 }),
          rollover: { max: null, maxPercentage: null, expiryDurationType: 'month', expiryDurationLength: 1 },
        }),
        item('sso'),
        item('messages', {
          price: usagePrice(0, {
            billingMethod: 'prepaid',
            rate: { kind: 'tiered', tiers: [{ to: 100, amount: 1, flatAmount: null }, { to: 'inf', amount: 0.5, flatAmount: null }], tierBehavior: 'graduated' },
          }),
          reset: monthly,
        }),
      ], { price: { amount: 20, interval: 'month', intervalCount: 1 }, description: 'For growing teams' }),
    ],
  );
  const never = { created_at: 1700000000000, env: 'sandbox', display: { singular: 'x', plural: 'xs' } };
  const features = [
    { id: 'seats', name: 'Seats', type: 'metered', consumable: false, event_names: [], archived: false, ...never },
    { id: 'messages', name: 'Messages', type: 'metered', consumable: true, event_names: ['chat.edited', 'chat.sent'], archived: false, ...never },
    { id: 'sso', name: 'SSO', type: 'boolean', consumable: false, event_names: [], archived: false, ...never },
  ];
  const plans = [
    {
      id: 'pro',
      name: 'Pro',
      description: 'For growing teams',
      group: '',
      version: 1,
      add_on: false,
      auto_enable: false,
      price: { amount: 20, interval: 'month' },
      free_trial: null,
      archived: false,
      config: { ignore_past_due: false },
      metadata: {},
      base_variant_id: null,
      licenses: [],
      ...never,
      items: [
        // reordered, with the derived reset hosted stores on a priced consumable item
        { feature_id: 'sso', included: 0, unlimited: false, pooled: false, entity_feature_id: null, reset: null, price: null },
        {
          feature_id: 'messages',
          included: 0,
          unlimited: false,
          pooled: false,
          entity_feature_id: null,
          reset: { interval: 'month' },
          price: {
            tiers: [
              { to: 100, amount: 1, flat_amount: 0 },
              { to: 'inf', amount: 0.5 },
            ],
            tier_behavior: 'graduated',
            interval: 'month',
            billing_units: 1,
            billing_method: 'prepaid',
            max_purchase: null,
          },
        },
        {
          feature_id: 'messages',
          included: 1000,
          unlimited: false,
          pooled: false,
          entity_feature_id: 'seats',
          reset: { interval: 'month', interval_count: 1 },
          price: { amount: 0.01, interval: 'month', billing_units: 100, billing_method: 'usage_based', max_purchase: null },
          rollover: { max: 0, expiry_duration_type: 'month', expiry_duration_length: 1 },
        },
        {
          feature_id: 'seats',
          included: 5,
          unlimited: false,
          pooled: false,
          entity_feature_id: null,
          reset: null,
          price: { amount: 10, interval: 'month', billing_method: 'usage_based', max_purchase: null },
        },
      ],
    },
  ];
  const remote = catalogFromWire(features, plans).catalog;
  expect(diffCatalogs(config, remote).changes).toEqual([]);
});
