import { describe, expect, it } from 'vitest';
import type { Catalog, Feature, Plan } from '../../src/catalog/schema.ts';
import {
  catalogFromWire,
  featureToApi,
  featureToParams,
  itemToParams,
  planToApi,
  planToParams,
} from '../../src/remote/wire.ts';

const seats: Feature = { id: 'seats', name: 'Seats', type: 'metered', consumable: false, eventNames: [], creditSchema: [], archived: false };
const messages: Feature = { id: 'messages', name: 'Messages', type: 'metered', consumable: true, eventNames: ['msg', 'chat'], creditSchema: [], archived: false };
const sso: Feature = { id: 'sso', name: 'SSO', type: 'boolean', consumable: false, eventNames: [], creditSchema: [], archived: true };
const credits: Feature = {
  id: 'credits', name: 'Credits', type: 'credit_system', consumable: true, eventNames: [],
  creditSchema: [{ meteredFeatureId: 'messages', creditCost: 2.5 }], archived: false,
};

const pro: Plan = {
  id: 'pro', name: 'Pro', description: 'For teams', group: 'main', addOn: false, autoEnable: false,
  price: { amount: 20, interval: 'month', intervalCount: 1 },
  freeTrial: { durationLength: 14, durationType: 'day', cardRequired: true },
  items: [
    { featureId: 'seats', included: 5, unlimited: false, reset: null, entityFeatureId: null, rollover: null, proration: { onIncrease: 'prorate', onDecrease: 'no_action' },
      price: { rate: { kind: 'flat', amount: 10 }, interval: 'month', intervalCount: 1, billingUnits: 1, billingMethod: 'usage_based', maxPurchase: null } },
    { featureId: 'messages', included: 1000, unlimited: false, reset: null, entityFeatureId: 'seats',
      rollover: { max: null, maxPercentage: 50, expiryDurationType: 'month', expiryDurationLength: 2 }, proration: null,
      price: { rate: { kind: 'tiered', tierBehavior: 'graduated', tiers: [{ to: 2000, amount: 0.01, flatAmount: null }, { to: 'inf', amount: 0.005, flatAmount: 5 }] },
        interval: 'quarter', intervalCount: 2, billingUnits: 100, billingMethod: 'usage_based', maxPurchase: 5000 } },
    { featureId: 'messages', included: 50, unlimited: false, reset: { interval: 'day', intervalCount: 1 }, entityFeatureId: null, rollover: null, proration: null, price: null },
    { featureId: 'sso', included: 0, unlimited: false, reset: null, entityFeatureId: null, rollover: null, proration: null, price: null },
    { featureId: 'credits', included: 0, unlimited: true, reset: null, entityFeatureId: null, rollover: null, proration: null, price: null },
  ],
  archived: true,
  billingControls: { spend_limits: [{ feature_id: 'messages', limit: 100 }] },
};
const free: Plan = {
  id: 'free', name: 'Free', description: null, group: null, addOn: true, autoEnable: true, price: null, freeTrial: null,
  items: [], archived: false, billingControls: null,
};
const catalog: Catalog = { features: { seats, messages, sso, credits }, plans: { pro, free } };

describe('wire mapping', () => {
  it('Catalog → ApiFeature/ApiPlan → Catalog is the identity (what `atmn dev` serves reads back unchanged)', () => {
    const features = Object.values(catalog.features).map(featureToApi);
    const plans = Object.values(catalog.plans).map((p) => planToApi(p, catalog.features, { version: 1, createdAt: 1, env: 'sandbox' }));
    const back = catalogFromWire(JSON.parse(JSON.stringify(features)), JSON.parse(JSON.stringify(plans)));
    expect(back.catalog).toEqual(catalog);
    expect(back.notes).toEqual([]);
  });

  it('serves the §2.2 derived reset on priced consumable items, and drops it again on read', () => {
    const api = planToApi(pro, catalog.features, { version: 3, createdAt: 5, env: 'live' }) as { items: { reset: unknown }[] };
    expect(api.items[0]!.reset).toBeNull(); // seats: not consumable
    expect(api.items[1]!.reset).toEqual({ interval: 'quarter', interval_count: 2 });
    expect(api.items[2]!.reset).toEqual({ interval: 'day' });
  });

  it('writes the REST bodies of §3.1 with entity_feature_id, without defaults or archived', () => {
    expect(featureToParams(sso)).toEqual({ id: 'sso', name: 'SSO', type: 'boolean', consumable: false, event_names: [] });
    expect(featureToParams(credits)).toEqual({
      id: 'credits', name: 'Credits', type: 'credit_system', consumable: true, event_names: [],
      credit_schema: [{ metered_feature_id: 'messages', credit_cost: 2.5 }],
    });
    expect(itemToParams(pro.items[1]!)).toEqual({
      feature_id: 'messages', included: 1000, entity_feature_id: 'seats',
      price: { tiers: [{ to: 2000, amount: 0.01 }, { to: 'inf', amount: 0.005, flat_amount: 5 }], tier_behavior: 'graduated',
        interval: 'quarter', interval_count: 2, billing_units: 100, billing_method: 'usage_based', max_purchase: 5000 },
      rollover: { max: null, max_percentage: 50, expiry_duration_type: 'month', expiry_duration_length: 2 },
    });
    expect(itemToParams(pro.items[3]!)).toEqual({ feature_id: 'sso' });
    expect(itemToParams(pro.items[4]!)).toEqual({ feature_id: 'credits', unlimited: true });
    expect(planToParams(free, 'create')).toEqual({
      id: 'free', name: 'Free', description: null, group: '', add_on: true, auto_enable: true, price: null, items: [], free_trial: null,
    });
    expect(planToParams(free, 'update', 'update_current')).toEqual({
      id: 'free', name: 'Free', description: null, group: '', add_on: true, auto_enable: true, price: null, items: [], free_trial: null,
      billing_controls: {}, disable_version: true,
    });
    expect(planToParams(free, 'update', 'create_version')).toMatchObject({ force_version: true });
    expect(planToParams(free, 'update', 'update_all_versions')).toMatchObject({ all_versions: true });
    expect(planToParams(pro, 'create')).not.toHaveProperty('archived');
  });

  it('applies the §2.3 read equivalences: defaults, legacy types, "" group, max 0, derived reset', () => {
    const { catalog: read } = catalogFromWire(
      [
        { id: 'a', name: 'A', type: 'single_use' },
        { id: 'b', name: 'B', type: 'continuous_use', consumable: true },
        { id: 'm', name: 'M', type: 'metered' },
      ],
      [{
        id: 'p', name: 'P', group: '', description: null, price: null, free_trial: null,
        items: [
          { feature_id: 'a', included: 7, unlimited: true, price: { amount: 1, interval: 'month', billing_method: 'usage_based' }, reset: { interval: 'month', interval_count: 1 },
            rollover: { max: 0, expiry_duration_type: 'forever' } },
          { feature_id: 'b', price: { amount: 1, interval: 'month' }, reset: { interval: 'month' } },
        ],
      }],
    );
    expect(read.features.a).toMatchObject({ type: 'metered', consumable: true });
    expect(read.features.b).toMatchObject({ type: 'metered', consumable: false });
    expect(read.features.m).toMatchObject({ type: 'metered', consumable: true, eventNames: [], archived: false });
    const p = read.plans.p!;
    expect(p.group).toBeNull();
    expect(p.items[0]).toEqual({
      featureId: 'a', included: 0, unlimited: true, reset: null, entityFeatureId: null, proration: null,
      price: { rate: { kind: 'flat', amount: 1 }, interval: 'month', intervalCount: 1, billingUnits: 1, billingMethod: 'usage_based', maxPurchase: null },
      rollover: { max: null, maxPercentage: null, expiryDurationType: 'forever', expiryDurationLength: 1 },
    });
    // b is not consumable: its reset is the user's own, not the derived one.
    expect(p.items[1]!.reset).toEqual({ interval: 'month', intervalCount: 1 });
  });

  it('skips what the Catalog cannot hold and says so', () => {
    const { catalog: read, notes } = catalogFromWire(
      [{ id: 'ai', name: 'AI', type: 'ai_credit_system', consumable: true }],
      [
        { id: 'v', name: 'V', variant_details: { base_plan_id: 'pro', customize: {} } },
        { id: 'l', name: 'L', licenses: [{ license_plan_id: 'x', version: 1, included: 2, prepaid_only: false }] },
      ],
    );
    expect(Object.keys(read.features)).toEqual([]);
    expect(Object.keys(read.plans)).toEqual(['l']);
    expect(notes.map((n) => `${n.kind} ${n.id}`)).toEqual(['feature ai', 'plan v', 'plan l']);
  });

  it('warns when a plan item uses a feature the remote does not list (the pulled config would not validate)', () => {
    const { notes } = catalogFromWire(
      [{ id: 'seats', name: 'Seats', type: 'metered', consumable: false }],
      [{ id: 'pro', name: 'Pro', items: [{ feature_id: 'ghost', entity_feature_id: 'seats' }, { feature_id: 'seats' }] }],
    );
    expect(notes).toEqual([{
      kind: 'plan',
      id: 'pro',
      message: 'items[0] uses feature "ghost", which the remote does not list as a feature atmn can hold; a config using it will not validate until "ghost" is declared.',
    }]);
  });

  it('refuses an object with the id __proto__ instead of losing it silently', () => {
    expect(() => catalogFromWire([], [{ id: '__proto__', name: 'P' }])).toThrow('The remote has a plan with the id "__proto__", which atmn cannot hold.');
    expect(() => catalogFromWire([{ id: '__proto__', name: 'F', type: 'boolean' }], [])).toThrow(/a feature with the id "__proto__"/);
  });

  it('reads ids named like Object.prototype members as ordinary ids', () => {
    const { catalog: read, notes } = catalogFromWire(
      [{ id: 'constructor', name: 'C', type: 'metered', consumable: true }],
      [{ id: 'toString', name: 'T', items: [{ feature_id: 'constructor', reset: { interval: 'month' }, price: { amount: 1, interval: 'month', billing_method: 'usage_based' } }, { feature_id: 'valueOf' }] }],
    );
    expect(Object.keys(read.features)).toEqual(['constructor']);
    expect(Object.values(read.plans)[0]!.items[0]!.reset).toBeNull(); // the derived reset of a consumable feature, dropped
    expect(notes.map((note) => note.message)).toEqual([
      'items[1] uses feature "valueOf", which the remote does not list as a feature atmn can hold; a config using it will not validate until "valueOf" is declared.',
    ]);
  });

  it('rejects a malformed answer with the path of the bad key', () => {
    expect(() => catalogFromWire([{ id: 'x', type: 'gizmo' }], [])).toThrow(/features\.list\[0\]\.type/);
    expect(() => catalogFromWire([], [{ id: 'bad id!', name: 'x' }])).toThrow('The remote catalog cannot be read: plan bad id! is "bad id!", which is not a valid id.');
    expect(() => catalogFromWire([], [{ id: 'p', items: [{ feature_id: 'a', entity_feature_id: 's/1' }] }])).toThrow('plan p items[0].entityFeatureId is "s/1"');
  });
});
