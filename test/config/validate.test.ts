import { describe, expect, test } from 'vitest';
import { Catalog } from '../../src/catalog/schema.ts';
import { perEntityItems } from '../../src/catalog/per-entity.ts';
import { feature, item, plan } from '../../src/dsl/index.ts';
import { check } from './helpers.ts';

const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });
const summaries = feature({ id: 'summaries', name: 'Meeting Summaries', type: 'metered', consumable: true });
const sso = feature({ id: 'sso', name: 'SSO', type: 'boolean' });

/** The product-docs config of issue #2. */
function seed() {
  return {
    seats,
    summaries,
    team: plan({
      id: 'team',
      name: 'Team',
      price: { amount: 30, interval: 'month' },
      items: [
        item({ featureId: seats.id, included: 1, price: { amount: 30, interval: 'month', billingUnits: 1, billingMethod: 'usage_based' } }),
        item({ featureId: summaries.id, included: 50, reset: { interval: 'month' }, entityFeatureId: seats.id }),
      ],
    }),
  };
}

describe('validateConfig → Catalog', () => {
  test('the seed config of the issue becomes this exact Catalog', () => {
    const { errors, warnings, result } = check(seed());
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(result.catalog).toEqual({
      features: {
        seats: { id: 'seats', name: 'Seats', type: 'metered', consumable: false, eventNames: [], creditSchema: [], archived: false },
        summaries: { id: 'summaries', name: 'Meeting Summaries', type: 'metered', consumable: true, eventNames: [], creditSchema: [], archived: false },
      },
      plans: {
        team: {
          id: 'team', name: 'Team', description: null, group: null, addOn: false, autoEnable: false,
          price: { amount: 30, interval: 'month', intervalCount: 1 },
          freeTrial: null,
          items: [
            {
              featureId: 'seats', included: 1, unlimited: false, reset: null,
              price: { rate: { kind: 'flat', amount: 30 }, interval: 'month', intervalCount: 1, billingUnits: 1, billingMethod: 'usage_based', maxPurchase: null },
              entityFeatureId: null, rollover: null, proration: null,
            },
            {
              featureId: 'summaries', included: 50, unlimited: false, reset: { interval: 'month', intervalCount: 1 },
              price: null, entityFeatureId: 'seats', rollover: null, proration: null,
            },
          ],
          archived: false,
          billingControls: null,
        },
      },
    });
    // The Catalog's own schema accepts it, and the per-entity hook sees the slice item.
    expect(Catalog.parse(result.catalog)).toEqual(result.catalog);
    expect(perEntityItems(result.catalog!.plans.team!)).toEqual([{ itemIndex: 1, featureId: 'summaries', entityFeatureId: 'seats' }]);
  });

  test('defaults: group "" → null, unlimited included → 0, tiers default graduated, rollover max 0 → null, trial defaults', () => {
    const credits = feature({ id: 'credits', name: 'Credits', type: 'credit_system', creditSchema: [{ meteredFeatureId: 'summaries', creditCost: 2.5 }] });
    const { errors, result } = check({
      seats, summaries, credits,
      pro: plan({
        id: 'pro', name: 'Pro', group: '', description: 'For teams', freeTrial: { durationLength: 14 },
        items: [
          item({ featureId: 'seats', unlimited: true, included: 0 }),
          item({
            featureId: 'summaries', included: 100,
            price: { tiers: [{ to: 1000, amount: 1 }, { to: 'inf', amount: 0.5, flatAmount: 5 }], interval: 'month', billingMethod: 'usage_based' },
            rollover: { max: 0, expiryDurationType: 'month' },
          }),
          item({ featureId: 'credits', price: { amount: 10, billingUnits: 1000, billingMethod: 'prepaid', maxPurchase: 5000 } }),
        ],
      }),
    });
    expect(errors).toEqual([]);
    const pro = result.catalog!.plans.pro!;
    expect(pro.group).toBeNull();
    expect(pro.description).toBe('For teams');
    expect(pro.freeTrial).toEqual({ durationLength: 14, durationType: 'day', cardRequired: true });
    expect(pro.items[0]).toMatchObject({ included: 0, unlimited: true, reset: null });
    expect(pro.items[1]!.price!.rate).toEqual({ kind: 'tiered', tierBehavior: 'graduated', tiers: [{ to: 1000, amount: 1, flatAmount: null }, { to: 'inf', amount: 0.5, flatAmount: 5 }] });
    expect(pro.items[1]!.reset).toBeNull(); // kept as declared; the engine derives month from the price
    expect(pro.items[1]!.rollover).toEqual({ max: null, maxPercentage: null, expiryDurationType: 'month', expiryDurationLength: 1 });
    expect(pro.items[2]!.price).toEqual({ rate: { kind: 'flat', amount: 10 }, interval: 'one_off', intervalCount: 1, billingUnits: 1000, billingMethod: 'prepaid', maxPurchase: 5000 });
    expect(result.catalog!.features.credits).toEqual({ id: 'credits', name: 'Credits', type: 'credit_system', consumable: true, eventNames: [], creditSchema: [{ meteredFeatureId: 'summaries', creditCost: 2.5 }], archived: false });
  });

  test('a default export { features, plans } and the legacy { products } are accepted', () => {
    const team = seed().team;
    expect(Object.keys(check({ default: { features: [seats, summaries], plans: [team] } }).result.catalog!.plans)).toEqual(['team']);
    expect(Object.keys(check({ default: { features: [seats, summaries], products: [team] } }).result.catalog!.plans)).toEqual(['team']);
  });

  test('the same object exported twice counts once; untagged objects are classified by shape; constants are ignored', () => {
    const plainFeature = { id: 'api', name: 'API', type: 'metered', consumable: true };
    const plainPlan = { id: 'free', name: 'Free', items: [{ featureId: 'api', included: 5, reset: { interval: 'day' } }] };
    const { errors, result } = check({ ...seed(), alsoSeats: seats, plainFeature, plainPlan, PRICE: 30, labels: { a: 1 }, helper: () => 1 });
    expect(errors).toEqual([]);
    expect(Object.keys(result.catalog!.features).sort()).toEqual(['api', 'seats', 'summaries']);
    expect(Object.keys(result.catalog!.plans).sort()).toEqual(['free', 'team']);
  });

  test('items keep their declared order', () => {
    const { result } = check({
      seats, summaries, sso,
      p: plan({ id: 'p', name: 'P', items: [item({ featureId: 'sso' }), item({ featureId: 'seats', included: 3 }), item({ featureId: 'summaries', included: 1, reset: { interval: 'day' } })] }),
    });
    expect(result.catalog!.plans.p!.items.map((i) => i.featureId)).toEqual(['sso', 'seats', 'summaries']);
  });

  test('a config with nothing exported warns but is valid', () => {
    const { errors, warnings, result } = check({ PRICE: 3 });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([': the config exports no features or plans']);
    expect(result.catalog).toEqual({ features: {}, plans: {} });
  });
});

describe('every error is reported at once, in declaration order', () => {
  test('errors from the schema and from several rules come together', () => {
    const { errors, result } = check({
      seats: feature({ id: 'seats', name: 'Seats', type: 'metered' }),
      summaries,
      team: plan({
        id: 'team', name: 'Team',
        items: [
          item({ featureId: 'seat', included: 1 }),
          // @ts-expect-error a typo the schema rejects
          item({ featureId: 'summaries', includd: 50 }),
          item({ featureId: 'summaries', included: 5, entityFeatureId: 'summaries', reset: { interval: 'month' } }),
        ],
      }),
    });
    expect(result.catalog).toBeNull();
    expect(errors).toEqual([
      "features.seats.consumable: metered feature 'seats' must say whether it is consumable",
      "plans.team.items[0].featureId: feature 'seat' does not exist",
      "plans.team.items[1].includd: unknown field 'includd'",
      // read as `included: 50`, the item has a real problem too
      "plans.team.items[1].reset: 'summaries' is consumable and includes 50 units, but nothing says when they reset",
      "plans.team.items[2].entityFeatureId: an item cannot be per-entity of its own feature 'summaries'",
    ]);
  });

  test('a misspelled key is one error and hides no other error of its entity', () => {
    const { errors } = check({
      // @ts-expect-error typo: read as consumable, so no "must say whether it is consumable" cascade
      seats: feature({ id: 'seats', name: 'Seats', type: 'metered', consumible: false }),
      team: plan({
        id: 'team', name: 'Team',
        // @ts-expect-error typo in the item, plus a real error in the same item
        items: [item({ featureId: 'seats', includd: 1, entityFeatureId: 'seats' })],
      }),
    });
    expect(errors).toEqual([
      "features.seats.consumible: unknown field 'consumible'",
      "plans.team.items[0].includd: unknown field 'includd'",
      "plans.team.items[0].entityFeatureId: an item cannot be per-entity of its own feature 'seats'",
    ]);
  });

  test('hints name the fix', () => {
    const { result } = check({ seats, p: plan({ id: 'p', name: 'P', items: [item({ featureId: 'seat' })] }) });
    expect(result.errors[0]!.hint).toBe("did you mean 'seats'?");
  });
});
