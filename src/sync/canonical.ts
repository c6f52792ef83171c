import { createHash } from 'node:crypto';
import type { Catalog, Feature, Item, Plan, Rate, Rollover } from '../catalog/schema.ts';
import { compareIds, sortedIds } from '../catalog/order.ts';
import { itemKeyString } from './item-key.ts';

/**
 * The canonical form: one spelling per meaning, so that pull → diff is empty (wire.md §2.3,
 * "Equivalences our diff applies before comparing"). The Catalog already fills defaults
 * (null ≡ absent, 0 ≡ absent, 1 ≡ absent); what is left is done here:
 * - boolean features are not consumable, credit systems are; only credit systems have a schema;
 * - `eventNames` and `creditSchema` are sets: sorted by id, duplicates dropped;
 * - `description` '' ≡ null (hosted stores either), `group` '' ≡ null;
 * - `included` is ignored when `unlimited` (it becomes 0);
 * - an item `reset` equal to its price interval and count ≡ no reset (hosted derives it, §2.2);
 * - `rollover.max` 0 ≡ null when `maxPercentage` is unset (semantics R7.9);
 * - a tier `flatAmount` of 0 ≡ none (hosted may echo 0 for tiers written without one);
 * - `billingControls` {} ≡ null, and its keys are sorted.
 * Item order is kept (it is the engine's item index); the diff and the hash ignore it.
 */
export function canonicalize(catalog: Catalog): Catalog {
  const features: Record<string, Feature> = {};
  for (const id of sortedIds(catalog.features)) features[id] = canonicalFeature(catalog.features[id]!);
  const plans: Record<string, Plan> = {};
  for (const id of sortedIds(catalog.plans)) plans[id] = canonicalPlan(catalog.plans[id]!);
  return { features, plans };
}

function canonicalFeature(feature: Feature): Feature {
  const isCreditSystem = feature.type === 'credit_system';
  const schema = isCreditSystem
    ? uniqueBy(
        [...feature.creditSchema].sort((a, b) => compareIds(a.meteredFeatureId, b.meteredFeatureId) || a.creditCost - b.creditCost),
        (entry) => `${entry.meteredFeatureId}\u0000${entry.creditCost}`,
      )
    : [];
  return {
    id: feature.id,
    name: feature.name,
    type: feature.type,
    consumable: feature.type === 'boolean' ? false : isCreditSystem ? true : feature.consumable,
    eventNames: uniqueBy([...feature.eventNames].sort(compareIds), (name) => name),
    creditSchema: schema.map((entry) => ({ meteredFeatureId: entry.meteredFeatureId, creditCost: entry.creditCost })),
    archived: feature.archived,
  };
}

function canonicalPlan(plan: Plan): Plan {
  return {
    id: plan.id,
    name: plan.name,
    description: plan.description === '' ? null : plan.description,
    group: plan.group === '' ? null : plan.group,
    addOn: plan.addOn,
    autoEnable: plan.autoEnable,
    price: plan.price && { amount: plan.price.amount, interval: plan.price.interval, intervalCount: plan.price.intervalCount },
    freeTrial: plan.freeTrial && {
      durationLength: plan.freeTrial.durationLength,
      durationType: plan.freeTrial.durationType,
      cardRequired: plan.freeTrial.cardRequired,
    },
    items: plan.items.map(canonicalItem),
    archived: plan.archived,
    billingControls: canonicalControls(plan.billingControls),
  };
}

function canonicalItem(item: Item): Item {
  const price = item.price && {
    rate: canonicalRate(item.price.rate),
    interval: item.price.interval,
    intervalCount: item.price.intervalCount,
    billingUnits: item.price.billingUnits,
    billingMethod: item.price.billingMethod,
    maxPurchase: item.price.maxPurchase,
  };
  const derivedReset =
    item.reset !== null && price !== null && item.reset.interval === price.interval && item.reset.intervalCount === price.intervalCount;
  return {
    featureId: item.featureId,
    included: item.unlimited ? 0 : item.included,
    unlimited: item.unlimited,
    reset: derivedReset || item.reset === null ? null : { interval: item.reset.interval, intervalCount: item.reset.intervalCount },
    price,
    entityFeatureId: item.entityFeatureId,
    rollover: item.rollover && canonicalRollover(item.rollover),
    proration: item.proration && { onIncrease: item.proration.onIncrease, onDecrease: item.proration.onDecrease },
  };
}

/**
 * A short, stable fingerprint of what a Catalog means: canonical form, features and plans in
 * sorted id order, items sorted by the diff's key (design.md), so two Catalogs with the same
 * hash have an empty diff.
 */
export function catalogHash(catalog: Catalog): string {
  const canonical = canonicalize(catalog);
  const plans: Record<string, unknown> = {};
  for (const [id, plan] of Object.entries(canonical.plans)) {
    const items = plan.items
      .map((item) => ({ key: itemKeyString(item), json: canonicalJson(item), item }))
      .sort((a, b) => compareIds(a.key, b.key) || compareIds(a.json, b.json))
      .map(({ item }) => item);
    plans[id] = { ...plan, items };
  }
  const text = canonicalJson({ features: canonical.features, plans });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** JSON with object keys sorted at every depth: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareIds)) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined) out[key] = sortKeysDeep(inner);
    }
    return out;
  }
  return value;
}

function canonicalRate(rate: Rate): Rate {
  if (rate.kind === 'flat') return { kind: 'flat', amount: rate.amount };
  return {
    kind: 'tiered',
    tiers: rate.tiers.map((tier) => ({ to: tier.to, amount: tier.amount, flatAmount: tier.flatAmount === 0 ? null : tier.flatAmount })),
    tierBehavior: rate.tierBehavior,
  };
}

function canonicalRollover(rollover: Rollover): Rollover {
  return {
    max: rollover.max === 0 && rollover.maxPercentage === null ? null : rollover.max,
    maxPercentage: rollover.maxPercentage,
    expiryDurationType: rollover.expiryDurationType,
    expiryDurationLength: rollover.expiryDurationLength,
  };
}

function canonicalControls(controls: Plan['billingControls']): Plan['billingControls'] {
  if (controls === null || Object.keys(controls).length === 0) return null;
  return sortKeysDeep(controls) as Record<string, unknown>;
}

function uniqueBy<T>(values: T[], keyOf: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = keyOf(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
