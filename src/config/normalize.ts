import type { Catalog, Feature, Item, ItemPrice, Plan } from '../catalog/schema.ts';
import type { FeatureParsed, ItemParsed, PlanShellParsed } from './input-schema.ts';

/**
 * camelCase config → Catalog (design.md rule 3: the mapping lives at the edge that needs
 * it). Defaults are filled so the Catalog has no undefined-vs-missing ambiguity; items
 * keep their declared order and `reset` stays as declared (null if absent).
 * Runs only on a config that passed every rule.
 */
export function toCatalog(features: FeatureParsed[], plans: { plan: PlanShellParsed; items: ItemParsed[] }[]): Catalog {
  const catalog: Catalog = { features: {}, plans: {} };
  for (const feature of features) catalog.features[feature.id] = toFeature(feature);
  for (const { plan, items } of plans) catalog.plans[plan.id] = toPlan(plan, items);
  return catalog;
}

function toFeature(feature: FeatureParsed): Feature {
  return {
    id: feature.id,
    name: feature.name,
    type: feature.type,
    consumable: feature.type === 'credit_system' ? true : feature.type === 'boolean' ? false : feature.consumable === true,
    eventNames: [...(feature.eventNames ?? [])],
    creditSchema:
      feature.type === 'credit_system'
        ? (feature.creditSchema ?? []).map((entry) => ({ meteredFeatureId: entry.meteredFeatureId, creditCost: entry.creditCost }))
        : [],
    archived: feature.archived ?? false,
  };
}

function toPlan(plan: PlanShellParsed, items: ItemParsed[]): Plan {
  return {
    id: plan.id,
    name: plan.name,
    description: plan.description ?? null,
    // '' and null are the same thing: no group (wire.md §2.3).
    group: plan.group ? plan.group : null,
    addOn: plan.addOn ?? false,
    autoEnable: plan.autoEnable ?? false,
    price: plan.price ? { amount: plan.price.amount, interval: plan.price.interval, intervalCount: plan.price.intervalCount ?? 1 } : null,
    freeTrial: plan.freeTrial
      ? {
          durationLength: plan.freeTrial.durationLength,
          durationType: plan.freeTrial.durationType ?? 'day',
          cardRequired: plan.freeTrial.cardRequired ?? true,
        }
      : null,
    items: items.map(toItem),
    archived: plan.archived ?? false,
    billingControls: plan.billingControls ? { ...plan.billingControls } : null,
  };
}

function toItem(item: ItemParsed): Item {
  const unlimited = item.unlimited ?? false;
  return {
    featureId: item.featureId,
    included: unlimited ? 0 : (item.included ?? 0),
    unlimited,
    reset: item.reset ? { interval: item.reset.interval, intervalCount: item.reset.intervalCount ?? 1 } : null,
    price: item.price ? toItemPrice(item.price) : null,
    entityFeatureId: item.entityFeatureId ?? null,
    rollover: item.rollover
      ? {
          // A max of 0 means "no cap", like null (semantics R7.9).
          max: item.rollover.max ? item.rollover.max : null,
          maxPercentage: item.rollover.maxPercentage ?? null,
          expiryDurationType: item.rollover.expiryDurationType,
          expiryDurationLength: item.rollover.expiryDurationLength ?? 1,
        }
      : null,
    proration: item.proration ? { onIncrease: item.proration.onIncrease, onDecrease: item.proration.onDecrease } : null,
  };
}

function toItemPrice(price: NonNullable<ItemParsed['price']>): ItemPrice {
  const rate: ItemPrice['rate'] = price.tiers
    ? {
        kind: 'tiered',
        tiers: price.tiers.map((tier) => ({ to: tier.to, amount: tier.amount, flatAmount: tier.flatAmount ?? null })),
        tierBehavior: price.tierBehavior ?? 'graduated',
      }
    : { kind: 'flat', amount: price.amount ?? 0 };
  return {
    rate,
    interval: price.interval ?? 'one_off',
    intervalCount: price.intervalCount ?? 1,
    billingUnits: price.billingUnits ?? 1,
    billingMethod: price.billingMethod,
    maxPurchase: price.maxPurchase ?? null,
  };
}
