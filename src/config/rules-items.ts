import { didYouMean } from './did-you-mean.ts';
import type { FeatureParsed } from './input-schema.ts';
import { isConsumable, isPositiveInteger, quote, type ItemEntry, type PlanEntry, type Reporter, type Rule, type RuleModel } from './rule-model.ts';

/** Rules about one item of a plan: its feature, amounts, reset, entity link and rollover. */

type ItemVisitor = (entry: ItemEntry, feature: FeatureParsed, plan: PlanEntry, model: RuleModel, report: Reporter) => void;

/** Runs `visit` for every item whose feature exists, so each rule sees only resolvable items. */
function forEachItem(visit: ItemVisitor): Rule {
  return (model, report) => {
    for (const plan of model.plans) {
      for (const entry of plan.items) {
        const feature = model.featureById.get(entry.item.featureId);
        if (feature) visit(entry, feature, plan, model, report);
      }
    }
  };
}

/** Every item's featureId names a declared feature. */
export const itemFeatureExists: Rule = (model, report) => {
  for (const plan of model.plans) {
    for (const { path, item } of plan.items) {
      if (model.declaredFeatureIds.has(item.featureId)) continue;
      report.error(
        `${path}.featureId`,
        `feature ${quote(item.featureId)} does not exist`,
        didYouMean(item.featureId, model.featureById.keys()) ??
          `declare it with feature({ id: '${item.featureId}', … }) and export it from the config`,
      );
    }
  }
};

/** A boolean feature is on or off: its item takes no amounts, reset, price or rollover. */
export const booleanItemTakesNoAmounts = forEachItem(({ path, item }, feature, _plan, _model, report) => {
  if (feature.type !== 'boolean') return;
  for (const field of ['included', 'reset', 'price', 'rollover'] as const) {
    if (item[field] === undefined) continue;
    report.error(`${path}.${field}`, `${quote(feature.id)} is a boolean feature, so its item takes no ${field}`, `remove ${field}: a boolean feature is simply on for every customer of the plan`);
  }
});

/** Included units are a count: never negative (semantics R2.8). */
export const includedNotNegative = forEachItem(({ path, item }, _feature, _plan, _model, report) => {
  if (item.included !== undefined && item.included < 0) {
    report.error(`${path}.included`, `included cannot be negative (got ${item.included})`, 'use included: 0 (or leave it out) for no free units');
  }
});

/** unlimited: true makes included and price meaningless (semantics R2.2). */
export const unlimitedIgnoresAmounts = forEachItem(({ path, item }, feature, _plan, _model, report) => {
  if (item.unlimited !== true || feature.type === 'boolean') return;
  const ignored = [item.included !== undefined && item.included !== 0 ? 'included' : null, item.price ? 'price' : null].filter(Boolean);
  if (ignored.length > 0) {
    report.warning(`${path}.unlimited`, `unlimited: true ignores ${ignored.join(' and ')}`, `remove ${ignored.join(' and ')}, or remove unlimited`);
  }
});

/**
 * A consumable with included usage must say when it comes back: a reset, or a priced
 * interval it defaults to (semantics R2.3). `reset: { interval: 'one_off' }` is a lifetime grant.
 */
export const consumableNeedsReset = forEachItem(({ path, item }, feature, _plan, _model, report) => {
  if (!isConsumable(feature) || item.unlimited === true || item.reset) return;
  if (!(item.included !== undefined && item.included > 0)) return;
  const pricedInterval = item.price?.interval !== undefined && item.price.interval !== 'one_off';
  if (pricedInterval) return;
  report.error(
    `${path}.reset`,
    `${quote(feature.id)} is consumable and includes ${item.included} units, but nothing says when they reset`,
    "add reset: { interval: 'month' }, or reset: { interval: 'one_off' } for a one-time grant",
  );
});

/** Reset counts are whole numbers. */
export const resetValid = forEachItem(({ path, item }, _feature, _plan, _model, report) => {
  const count = item.reset?.intervalCount;
  if (count !== undefined && !isPositiveInteger(count)) {
    report.error(`${path}.reset.intervalCount`, `intervalCount must be a whole number of at least 1 (got ${count})`, "e.g. reset: { interval: 'month', intervalCount: 3 }");
  }
});

/** Allocations (seats) never reset, whatever the item says (semantics R2.3). */
export const resetOnAllocationIgnored = forEachItem(({ path, item }, feature, _plan, _model, report) => {
  if (feature.type === 'metered' && feature.consumable === false && item.reset && item.reset.interval !== 'one_off') {
    report.warning(`${path}.reset`, `${quote(feature.id)} is not consumable, so it never resets; this reset is ignored`, 'remove reset');
  }
});

/**
 * Only prepaid items may reset on another interval than they are billed on: a
 * usage-based item bills the usage of exactly one reset period (semantics R2.8).
 */
export const resetMatchesUsageBasedPrice = forEachItem(({ path, item }, feature, _plan, _model, report) => {
  const price = item.price;
  if (!price || price.billingMethod !== 'usage_based' || !item.reset || !isConsumable(feature)) return;
  const priceInterval = price.interval ?? 'one_off';
  if (priceInterval === 'one_off') return; // reported by usageBasedNeedsInterval
  const sameInterval = item.reset.interval === priceInterval && (item.reset.intervalCount ?? 1) === (price.intervalCount ?? 1);
  if (sameInterval) return;
  report.error(
    `${path}.reset.interval`,
    `resets every ${every(item.reset.interval, item.reset.intervalCount)} but is billed every ${every(priceInterval, price.intervalCount)}; only prepaid items may reset on a different interval than they are billed`,
    `make reset match price.interval, or remove reset (it defaults to the price's interval)`,
  );
});

/** A usage-based price bills usage at the end of a period, so it needs one (semantics R2.8). */
export const usageBasedNeedsInterval = forEachItem(({ path, item }, _feature, _plan, _model, report) => {
  const price = item.price;
  if (!price || price.billingMethod !== 'usage_based') return;
  if (price.interval !== undefined && price.interval !== 'one_off') return;
  report.error(
    `${path}.price.interval`,
    price.interval === undefined ? 'a usage_based price needs an interval: usage is billed at the end of each period' : 'a usage_based price cannot be one_off: usage is billed at the end of each period',
    "add interval: 'month', or use billingMethod: 'prepaid' for a one-time purchase",
  );
});

/**
 * A per-entity item names a seat-like entity feature (boolean or non-consumable metered),
 * other than its own feature, that the plan also grants (semantics R2.7).
 */
export const entityFeatureValid = forEachItem(({ path, item }, feature, plan, model, report) => {
  const entityId = item.entityFeatureId;
  if (entityId === undefined || entityId === null) return;
  const at = `${path}.entityFeatureId`;
  if (!model.declaredFeatureIds.has(entityId)) {
    report.error(at, `entity feature ${quote(entityId)} does not exist`, didYouMean(entityId, model.featureById.keys()) ?? `declare it with feature({ id: '${entityId}', type: 'metered', consumable: false, … }) and export it`);
    return;
  }
  if (entityId === feature.id) {
    report.error(at, `an item cannot be per-entity of its own feature ${quote(entityId)}`, 'point entityFeatureId at the seat-like feature (e.g. seats), or remove it');
    return;
  }
  const entity = model.featureById.get(entityId);
  if (!entity) return; // the entity feature itself failed the schema and is reported there
  if (entity.type === 'credit_system' || (entity.type === 'metered' && entity.consumable !== false)) {
    const what = entity.type === 'credit_system' ? 'a credit system' : 'consumable';
    report.error(at, `entity feature ${quote(entityId)} is ${what}; entities belong to a boolean or a non-consumable metered feature (like seats)`, `point entityFeatureId at a feature declared with consumable: false`);
    return;
  }
  const planGrantsEntity = plan.items.some((other) => other.item.featureId === entityId);
  if (!planGrantsEntity) {
    report.warning(
      at,
      `plan ${quote(plan.plan.id)} grants ${quote(feature.id)} per ${quote(entityId)}, but no item of the plan grants ${quote(entityId)}`,
      `add item({ featureId: '${entityId}', included: 1 }) so customers of this plan have ${entityId}`,
    );
  }
});

/** Prepaid per-entity items load, but this engine cannot attach them (semantics R2.7). */
export const prepaidPerEntityWarning = forEachItem(({ path, item }, _feature, _plan, _model, report) => {
  if (item.entityFeatureId && item.price?.billingMethod === 'prepaid') {
    report.warning(
      `${path}.price.billingMethod`,
      'a prepaid per-entity item is accepted by hosted Autumn, but the local engine (simulate, dev) refuses to attach this plan',
      "use billingMethod: 'usage_based' for per-entity pricing, or remove entityFeatureId",
    );
  }
});

/** A rollover needs balances that reset, and either a fixed or a percentage cap, not both (R2.8, R7.9). */
export const rolloverValid = forEachItem(({ path, item }, feature, _plan, _model, report) => {
  const rollover = item.rollover;
  if (!rollover || feature.type === 'boolean') return;
  const at = `${path}.rollover`;
  if (!isConsumable(feature)) {
    report.error(at, `${quote(feature.id)} is not consumable, so nothing is left over to roll over`, 'remove rollover');
    return;
  }
  const hasMax = rollover.max !== undefined && rollover.max !== null && rollover.max !== 0;
  const hasPercentage = rollover.maxPercentage !== undefined && rollover.maxPercentage !== null;
  if (hasMax && hasPercentage) {
    report.error(at, 'give either max or maxPercentage, not both', 'keep max for a fixed cap in units, or maxPercentage for a cap relative to the grant');
  }
  if (rollover.max !== undefined && rollover.max !== null && rollover.max < 0) {
    report.error(`${at}.max`, `max cannot be negative (got ${rollover.max})`, 'remove max for no cap');
  }
  if (hasPercentage && !((rollover.maxPercentage as number) >= 0 && (rollover.maxPercentage as number) <= 100)) {
    report.error(`${at}.maxPercentage`, `maxPercentage must be between 0 and 100 (got ${rollover.maxPercentage})`);
  }
  const length = rollover.expiryDurationLength;
  if (length !== undefined && !isPositiveInteger(length)) {
    report.error(`${at}.expiryDurationLength`, `expiryDurationLength must be a whole number of months, at least 1 (got ${length})`);
  }
});

/** Official CLI fields atmn accepts but does not model. */
export const ignoredItemFields = forEachItem(({ path, item }, _feature, _plan, _model, report) => {
  if (item.pooled === true) {
    report.warning(`${path}.pooled`, 'pooled items are not modelled by atmn; the item is treated as not pooled');
  }
});

function every(interval: string, count: number | undefined): string {
  return count !== undefined && count !== 1 ? `${count} ${interval}s` : interval;
}

