import { describe, expect, test } from 'vitest';
import { sortedCatalog } from '../../src/catalog/canonical.ts';
import type { Catalog } from '../../src/catalog/schema.ts';
import { entityNoun, renderSummary } from '../../src/catalog/summary.ts';
import { validateConfig } from '../../src/config/validate.ts';
import { feature, item, plan } from '../../src/dsl/index.ts';

function catalogOf(exports: Record<string, unknown>): Catalog {
  const { catalog, errors } = validateConfig(exports);
  expect(errors).toEqual([]);
  return catalog!;
}

const catalog = catalogOf({
  zseats: feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false }),
  api: feature({ id: 'api_calls', name: 'API Calls', type: 'metered', consumable: true }),
  credits: feature({ id: 'credits', name: 'AI Credits', type: 'credit_system', creditSchema: [{ meteredFeatureId: 'api_calls', creditCost: 2.5 }] }),
  sso: feature({ id: 'sso', name: 'SSO', type: 'boolean' }),
  scale: plan({
    id: 'scale', name: 'Scale', group: 'main', price: { amount: 300, interval: 'year' }, freeTrial: { durationLength: 1, durationType: 'month', cardRequired: false },
    items: [
      item({ featureId: 'seats', included: 10 }),
      item({ featureId: 'api_calls', included: 1000, reset: { interval: 'month', intervalCount: 3 }, entityFeatureId: 'seats' }),
      item({ featureId: 'api_calls', price: { tiers: [{ to: 100, amount: 1 }, { to: 'inf', amount: 0.5 }], tierBehavior: 'volume', billingUnits: 10, interval: 'month', billingMethod: 'prepaid', maxPurchase: 500 } }),
      item({ featureId: 'credits', unlimited: true }),
      item({ featureId: 'sso' }),
    ],
  }),
  addon: plan({ id: 'boost', name: 'Boost', addOn: true, items: [] }),
  free: plan({ id: 'free', name: 'Free', autoEnable: true, items: [item({ featureId: 'credits', included: 50, reset: { interval: 'day' }, rollover: { max: 20, expiryDurationType: 'forever' } })] }),
});

describe('renderSummary', () => {
  test('features, then plans with their items, in sorted id order', () => {
    expect(renderSummary(catalog)).toBe(
      [
        'Features (4)',
        '  api_calls  API Calls   metered, consumable',
        '  credits    AI Credits  credit system (api_calls = 2.5)',
        '  seats      Seats       metered, non-consumable',
        '  sso        SSO         boolean',
        '',
        'Plans (3)',
        '  boost  Boost  add-on',
        '    (no items)',
        '  free  Free  auto-enable',
        '    credits: 50 / day, rollover up to 20',
        '  scale  Scale  $300 / year  group main, 1 month trial, no card',
        '    seats: 10',
        '    api_calls: 1000 / 3 months per seat',
        '    api_calls: volume tiers ($1 up to 100, $0.5 up to inf) per 10 API calls / month (prepaid, max 500)',
        '    credits: unlimited',
        '    sso: on',
      ].join('\n'),
    );
  });

  test('numbers are written out in plain digits: per-token prices and huge allowances get no exponent', () => {
    const tokens = catalogOf({
      tokens: feature({ id: 'tokens', name: 'Tokens', type: 'metered', consumable: true }),
      big: plan({
        id: 'big', name: 'Big', price: { amount: 1e21, interval: 'month' },
        items: [item({ featureId: 'tokens', included: 1e21, reset: { interval: 'month' }, price: { amount: 1.5e-7, interval: 'month', billingMethod: 'usage_based', maxPurchase: 5e22 } })],
      }),
    });
    expect(renderSummary(tokens).split('\n').slice(-2)).toEqual([
      '  big  Big  $1000000000000000000000 / month',
      '    tokens: 1000000000000000000000 / month + $0.00000015 per token / month (usage-based, max 50000000000000000000000)',
    ]);
  });

  test('entity nouns are the feature name made singular, or the id', () => {
    expect(entityNoun('seats', catalog)).toBe('seat');
    expect(entityNoun('credits', catalog)).toBe('AI credit');
    expect(entityNoun('nope', catalog)).toBe('nope');
  });
});

test('sortedCatalog orders features and plans by id and keeps item order', () => {
  const sorted = sortedCatalog(catalog);
  expect(Object.keys(sorted.features)).toEqual(['api_calls', 'credits', 'seats', 'sso']);
  expect(Object.keys(sorted.plans)).toEqual(['boost', 'free', 'scale']);
  expect(sorted.plans.scale!.items.map((i) => i.featureId)).toEqual(['seats', 'api_calls', 'api_calls', 'credits', 'sso']);
});
