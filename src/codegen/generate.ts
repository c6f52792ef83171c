import type { Catalog, Feature, Item, ItemPrice, Plan, Tier } from '../catalog/schema.ts';
import { sortedIds } from '../catalog/order.ts';
import { canonicalize } from '../sync/canonical.ts';
import { assignIdentifiers } from './identifiers.ts';
import { fromJson, num, printCode, raw, str, type Code } from './print.ts';

/** How a plan's item names a feature: its variable (`seats.id`) or, when none is usable, the id string. */
export type FeatureRef = (featureId: string) => Code;

/**
 * The config `atmn pull` writes for a Catalog: imports from 'atmn', then features, then plans,
 * each in sorted id order, items in catalog order. Deterministic (same Catalog, same bytes).
 * The Catalog is canonicalized first and fields equal to their defaults are left out, so
 * loading the result gives back an equal canonical Catalog.
 */
export function generateConfigSource(catalog: Catalog): string {
  const canonical = canonicalize(catalog);
  const names = assignIdentifiers(canonical);
  const ref = featureRefFor(names.features);
  const blocks = [
    "import { feature, item, plan } from 'atmn';",
    ...sortedIds(canonical.features).map((id) => exportStatement(names.features.get(id)!, featureCall(canonical.features[id]!))),
    ...sortedIds(canonical.plans).map((id) => exportStatement(names.plans.get(id)!, planCall(canonical.plans[id]!, ref))),
  ];
  return `${blocks.join('\n\n')}\n`;
}

export function exportStatement(name: string, call: Code): string {
  const head = `export const ${name} = `;
  return `${head}${printCode(call, 0, head.length)};`;
}

function featureRefFor(variables: Map<string, string>): FeatureRef {
  return (featureId) => {
    const variable = variables.get(featureId);
    return variable === undefined ? str(featureId) : raw(`${variable}.id`);
  };
}

export function featureCall(feature: Feature): Code {
  const entries: [string, Code][] = [
    ['id', str(feature.id)],
    ['name', str(feature.name)],
    ['type', str(feature.type)],
  ];
  if (feature.type === 'metered') entries.push(['consumable', raw(String(feature.consumable))]);
  if (feature.eventNames.length > 0) entries.push(['eventNames', { kind: 'array', items: feature.eventNames.map(str) }]);
  if (feature.type === 'credit_system') {
    const schema = feature.creditSchema.map((entry): Code => ({
      kind: 'object',
      entries: [
        ['meteredFeatureId', str(entry.meteredFeatureId)],
        ['creditCost', num(entry.creditCost)],
      ],
    }));
    entries.push(['creditSchema', { kind: 'array', items: schema, broken: schema.length > 1 }]);
  }
  if (feature.archived) entries.push(['archived', raw('true')]);
  return { kind: 'call', callee: 'feature', args: [{ kind: 'object', entries, broken: true }] };
}

export function planCall(plan: Plan, ref: FeatureRef): Code {
  const entries: [string, Code][] = [
    ['id', str(plan.id)],
    ['name', str(plan.name)],
  ];
  if (plan.description !== null) entries.push(['description', str(plan.description)]);
  if (plan.group !== null) entries.push(['group', str(plan.group)]);
  if (plan.addOn) entries.push(['addOn', raw('true')]);
  if (plan.autoEnable) entries.push(['autoEnable', raw('true')]);
  if (plan.price) {
    const price: [string, Code][] = [
      ['amount', num(plan.price.amount)],
      ['interval', str(plan.price.interval)],
    ];
    if (plan.price.intervalCount !== 1) price.push(['intervalCount', num(plan.price.intervalCount)]);
    entries.push(['price', { kind: 'object', entries: price }]);
  }
  if (plan.freeTrial) {
    // the loader's defaults: durationType 'day', cardRequired true
    const trial: [string, Code][] = [['durationLength', num(plan.freeTrial.durationLength)]];
    if (plan.freeTrial.durationType !== 'day') trial.push(['durationType', str(plan.freeTrial.durationType)]);
    if (!plan.freeTrial.cardRequired) trial.push(['cardRequired', raw('false')]);
    entries.push(['freeTrial', { kind: 'object', entries: trial }]);
  }
  if (plan.items.length > 0) entries.push(['items', { kind: 'array', items: plan.items.map((item) => itemCall(item, ref)), broken: true }]);
  if (plan.billingControls !== null) entries.push(['billingControls', fromJson(plan.billingControls)]);
  if (plan.archived) entries.push(['archived', raw('true')]);
  return { kind: 'call', callee: 'plan', args: [{ kind: 'object', entries, broken: true }] };
}

function itemCall(item: Item, ref: FeatureRef): Code {
  const entries: [string, Code][] = [['featureId', ref(item.featureId)]];
  if (item.unlimited) entries.push(['unlimited', raw('true')]);
  else if (item.included !== 0) entries.push(['included', num(item.included)]);
  if (item.reset) {
    const reset: [string, Code][] = [['interval', str(item.reset.interval)]];
    if (item.reset.intervalCount !== 1) reset.push(['intervalCount', num(item.reset.intervalCount)]);
    entries.push(['reset', { kind: 'object', entries: reset }]);
  }
  if (item.price) entries.push(['price', itemPrice(item.price)]);
  if (item.entityFeatureId !== null) entries.push(['entityFeatureId', ref(item.entityFeatureId)]);
  if (item.rollover) {
    const rollover: [string, Code][] = [];
    if (item.rollover.max !== null) rollover.push(['max', num(item.rollover.max)]);
    if (item.rollover.maxPercentage !== null) rollover.push(['maxPercentage', num(item.rollover.maxPercentage)]);
    rollover.push(['expiryDurationType', str(item.rollover.expiryDurationType)]);
    if (item.rollover.expiryDurationLength !== 1) rollover.push(['expiryDurationLength', num(item.rollover.expiryDurationLength)]);
    entries.push(['rollover', { kind: 'object', entries: rollover }]);
  }
  if (item.proration) {
    entries.push([
      'proration',
      {
        kind: 'object',
        entries: [
          ['onIncrease', str(item.proration.onIncrease)],
          ['onDecrease', str(item.proration.onDecrease)],
        ],
      },
    ]);
  }
  return { kind: 'call', callee: 'item', args: [{ kind: 'object', entries }] };
}

function itemPrice(price: ItemPrice): Code {
  const entries: [string, Code][] = [];
  if (price.rate.kind === 'flat') entries.push(['amount', num(price.rate.amount)]);
  else {
    entries.push(['tiers', { kind: 'array', items: price.rate.tiers.map(tierCode), broken: price.rate.tiers.length > 1 }]);
    if (price.rate.tierBehavior !== 'graduated') entries.push(['tierBehavior', str(price.rate.tierBehavior)]);
  }
  entries.push(['interval', str(price.interval)]);
  if (price.intervalCount !== 1) entries.push(['intervalCount', num(price.intervalCount)]);
  if (price.billingUnits !== 1) entries.push(['billingUnits', num(price.billingUnits)]);
  entries.push(['billingMethod', str(price.billingMethod)]);
  if (price.maxPurchase !== null) entries.push(['maxPurchase', num(price.maxPurchase)]);
  return { kind: 'object', entries };
}

function tierCode(tier: Tier): Code {
  const entries: [string, Code][] = [
    ['to', tier.to === 'inf' ? str('inf') : num(tier.to)],
    ['amount', num(tier.amount)],
  ];
  if (tier.flatAmount !== null) entries.push(['flatAmount', num(tier.flatAmount)]);
  return { kind: 'object', entries };
}
