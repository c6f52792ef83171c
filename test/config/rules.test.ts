import { describe, expect, test } from 'vitest';
import { feature, item, plan, type ItemConfig, type PlanConfig } from '../../src/dsl/index.ts';
import { check } from './helpers.ts';

/**
 * One rule, one test (examples.md: changesets rules.ts). Errors of every rule are also
 * covered end to end, with exact messages, by the corpus in test/fixtures/invalid/; here
 * are the warnings and the configs that must stay valid.
 */
const features = {
  seats: feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false }),
  messages: feature({ id: 'messages', name: 'Messages', type: 'metered', consumable: true }),
  sso: feature({ id: 'sso', name: 'SSO', type: 'boolean' }),
  credits: feature({ id: 'credits', name: 'Credits', type: 'credit_system', creditSchema: [{ meteredFeatureId: 'messages', creditCost: 1 }] }),
};

function withPlan(items: ItemConfig[], extra: Partial<PlanConfig> = {}) {
  return check({ ...features, p: plan({ id: 'p', name: 'P', items, ...extra }) });
}

describe('configs that must stay valid', () => {
  test('a shared pool plus a per-seat slice of the same feature', () => {
    const { errors, warnings } = withPlan([
      item({ featureId: 'seats', included: 5 }),
      item({ featureId: 'messages', included: 1000, reset: { interval: 'month' } }),
      item({ featureId: 'messages', included: 50, reset: { interval: 'month' }, entityFeatureId: 'seats' }),
    ]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  test('the same feature with another reset interval, or another billing method', () => {
    expect(withPlan([
      item({ featureId: 'messages', included: 10, reset: { interval: 'day' } }),
      item({ featureId: 'messages', included: 100, reset: { interval: 'month' } }),
      item({ featureId: 'messages', price: { amount: 5, billingUnits: 100, billingMethod: 'prepaid' } }),
    ]).errors).toEqual([]);
  });

  test('prepaid items may reset on another interval than they are billed', () => {
    expect(withPlan([item({ featureId: 'messages', included: 10, reset: { interval: 'month' }, price: { amount: 100, interval: 'year', billingMethod: 'prepaid' } })]).errors).toEqual([]);
  });

  test("a lifetime grant: reset { interval: 'one_off' }", () => {
    expect(withPlan([item({ featureId: 'messages', included: 10, reset: { interval: 'one_off' } })]).errors).toEqual([]);
  });

  test('a usage-based price supplies the reset interval', () => {
    expect(withPlan([item({ featureId: 'messages', included: 10, price: { amount: 1, interval: 'month', billingMethod: 'usage_based' } })]).errors).toEqual([]);
  });

  test('rollover without a cap, and with max 0 plus maxPercentage (0 means no max)', () => {
    expect(withPlan([item({ featureId: 'messages', included: 10, reset: { interval: 'month' }, rollover: { expiryDurationType: 'forever' } })]).errors).toEqual([]);
    expect(withPlan([item({ featureId: 'messages', included: 10, reset: { interval: 'month' }, rollover: { max: 0, maxPercentage: 50, expiryDurationType: 'month' } })]).errors).toEqual([]);
  });

  test('auto-enabled plans in different groups, and auto-enabled add-ons, do not clash', () => {
    const { errors } = check({
      ...features,
      a: plan({ id: 'a', name: 'A', autoEnable: true, group: 'x' }),
      b: plan({ id: 'b', name: 'B', autoEnable: true, group: 'y' }),
      c: plan({ id: 'c', name: 'C', autoEnable: true, addOn: true }),
      d: plan({ id: 'd', name: 'D', autoEnable: true }),
      e: plan({ id: 'e', name: 'E', autoEnable: true, freeTrial: { durationLength: 7, cardRequired: false } , group: 'z' }),
    });
    expect(errors).toEqual([]);
  });

  test('a boolean feature as the entity feature', () => {
    const workspace = feature({ id: 'workspace', name: 'Workspaces', type: 'boolean' });
    expect(check({ ...features, workspace, p: plan({ id: 'p', name: 'P', items: [item({ featureId: 'workspace' }), item({ featureId: 'messages', included: 5, reset: { interval: 'week' }, entityFeatureId: 'workspace' })] }) }).errors).toEqual([]);
  });
});

describe('warnings never fail validation', () => {
  const cases: [string, ItemConfig[], string[]][] = [
    [
      'per-entity item whose plan has no item for the entity feature',
      [item({ featureId: 'messages', included: 5, reset: { interval: 'month' }, entityFeatureId: 'seats' })],
      ["plans.p.items[0].entityFeatureId: plan 'p' grants 'messages' per 'seats', but no item of the plan grants 'seats'"],
    ],
    [
      'prepaid per-entity item (R2.7)',
      [item({ featureId: 'seats', included: 1 }), item({ featureId: 'messages', entityFeatureId: 'seats', price: { amount: 1, interval: 'month', billingMethod: 'prepaid' } })],
      ['plans.p.items[1].price.billingMethod: a prepaid per-entity item is accepted by hosted Autumn, but the local engine (simulate, dev) refuses to attach this plan'],
    ],
    [
      'volume tiers on a usage_based price (R2.8)',
      [item({ featureId: 'messages', price: { tiers: [{ to: 10, amount: 1 }, { to: 'inf', amount: 0.5 }], tierBehavior: 'volume', interval: 'month', billingMethod: 'usage_based' } })],
      ['plans.p.items[0].price.tierBehavior: volume tiers on a usage_based price: the local engine prices them, but hosted Autumn accepts volume tiers only on prepaid items, so a push there would fail'],
    ],
    [
      'reset on an allocation',
      [item({ featureId: 'seats', included: 3, reset: { interval: 'month' } })],
      ["plans.p.items[0].reset: 'seats' is not consumable, so it never resets; this reset is ignored"],
    ],
    [
      'unlimited with amounts',
      [item({ featureId: 'messages', unlimited: true, included: 5 })],
      ['plans.p.items[0].unlimited: unlimited: true ignores included'],
    ],
    [
      'pooled (official CLI)',
      [item({ featureId: 'seats', included: 1, pooled: true })],
      ['plans.p.items[0].pooled: pooled items are not modelled by atmn; the item is treated as not pooled'],
    ],
    [
      'tierBehavior without tiers',
      [item({ featureId: 'messages', price: { amount: 1, tierBehavior: 'graduated', interval: 'month', billingMethod: 'usage_based' } })],
      ['plans.p.items[0].price.tierBehavior: tierBehavior applies only to tiers and is ignored here'],
    ],
  ];
  test.each(cases)('%s', (_name, items, expected) => {
    const { errors, warnings, result } = withPlan(items);
    expect(errors).toEqual([]);
    expect(warnings).toEqual(expected);
    expect(result.catalog).not.toBeNull();
  });

  test('variants, licenses and extra currencies of the official CLI are ignored with a warning', () => {
    const pro = plan({ id: 'pro', name: 'Pro', price: { amount: 10, interval: 'month', additionalCurrencies: [{ currency: 'eur', amount: 9 }] }, licenses: [{}] });
    pro.variant({ id: 'pro_annual', name: 'Pro annual' });
    const { errors, warnings } = check({ ...features, pro });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'plans.pro.licenses: licenses are not modelled by atmn and are ignored',
      'plans.pro.variants: plan variants are not modelled by atmn and are ignored',
      'plans.pro.price.additionalCurrencies: additional currencies are not modelled by atmn and are ignored',
    ]);
  });
});

describe('paths when the id cannot name the entity', () => {
  test('a duplicate is named by its export name; a default-export element by its position', () => {
    const { errors } = check({
      seats: features.seats,
      seatsAgain: feature({ id: 'seats', name: 'Seats 2', type: 'metered', consumable: false }),
      default: { plans: [{ id: 'bad id', name: 'X' }] },
    });
    // The plain object has no call site, so its issue comes before the located ones.
    expect(errors).toEqual([
      "plans[0].id: plan id 'bad id' may contain only letters, digits, '_' and '-'",
      "features.seatsAgain.id: duplicate feature id 'seats': export seats already uses it",
    ]);
  });
});
