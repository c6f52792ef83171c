import type { Feature, Item, ItemPrice, Plan, Reset } from '../catalog/schema.ts';
import { ownEntry } from '../catalog/own-entry.ts';
import type { PlanIntent } from '../sync/index.ts';
import type { FeatureParams, ItemParamsShape } from './wire-schema.ts';

/**
 * Catalog → snake_case wire (spec/wire.md §2–§3). Two audiences:
 * - our CLI's writes (featureToParams, planToParams): the REST bodies of §3.1, with
 *   defaults left out the way atmn leaves them out, but `entity_feature_id` always
 *   carried and `archived` written by its own archive/unarchive steps (the official CLI
 *   drops both, issue #4);
 * - the `atmn dev` server's reads (featureToApi, planToApi): the full ApiFeature /
 *   ApiPlan of §2.1–§2.2 with every required key present and the §2.2 write
 *   normalisations applied (derived reset, defaults), so reads match hosted reads.
 * Reading the output back through wire-read.ts gives the same Catalog (tested).
 */

export function featureToParams(feature: Feature): FeatureParams {
  return {
    id: feature.id,
    name: feature.name,
    type: feature.type,
    consumable: feature.consumable,
    event_names: [...feature.eventNames],
    ...(feature.type === 'credit_system' ? { credit_schema: creditSchemaToWire(feature) } : {}),
  };
}

/**
 * The body of `POST /v1/products` (create) or `POST /v1/products/{id}` (update). Keys that
 * can be cleared are sent as null on both, because an absent key keeps the stored value
 * (§4.1); `licenses` is never sent, so licenses set elsewhere survive. `archived` is not
 * sent either: archiving and unarchiving are steps of their own (apply order, §3.1).
 */
export function planToParams(plan: Plan, mode: 'create' | 'update', intent: PlanIntent | null = null): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: plan.id,
    name: plan.name,
    description: plan.description,
    group: plan.group ?? '',
    add_on: plan.addOn,
    auto_enable: plan.autoEnable,
    price: plan.price ? planPriceToWire(plan.price) : null,
    items: plan.items.map(itemToParams),
    free_trial: plan.freeTrial ? freeTrialToWire(plan.freeTrial) : null,
  };
  // Hosted returns billing_controls only when set; {} clears it on update and reads back as absent.
  if (plan.billingControls) body.billing_controls = plan.billingControls;
  else if (mode === 'update') body.billing_controls = {};
  if (mode === 'update' && intent) Object.assign(body, intentFlags(intent));
  return body;
}

/**
 * The intent flags of §3.1/§4.1. atmn sends nothing for create_version and relies on the
 * server versioning a plan with holders; we say it explicitly with force_version.
 */
function intentFlags(intent: PlanIntent): Record<string, true> {
  switch (intent) {
    case 'create_version':
      return { force_version: true };
    case 'update_current':
      return { disable_version: true };
    case 'update_all_versions':
      return { all_versions: true };
  }
}

export function itemToParams(item: Item): ItemParamsShape {
  const out: ItemParamsShape = { feature_id: item.featureId };
  if (item.unlimited) out.unlimited = true;
  else if (item.included !== 0) out.included = item.included;
  if (item.entityFeatureId !== null) out.entity_feature_id = item.entityFeatureId;
  if (item.reset) out.reset = resetToWire(item.reset);
  if (item.price) out.price = itemPriceToWire(item.price);
  if (item.rollover) {
    out.rollover = {
      max: item.rollover.max,
      ...(item.rollover.maxPercentage !== null ? { max_percentage: item.rollover.maxPercentage } : {}),
      expiry_duration_type: item.rollover.expiryDurationType,
      expiry_duration_length: item.rollover.expiryDurationLength,
    };
  }
  if (item.proration) out.proration = { on_increase: item.proration.onIncrease, on_decrease: item.proration.onDecrease };
  return out;
}

export function itemPriceToWire(price: ItemPrice): Record<string, unknown> {
  const rate =
    price.rate.kind === 'flat'
      ? { amount: price.rate.amount }
      : {
          tiers: price.rate.tiers.map((t) => ({ to: t.to, amount: t.amount, ...(t.flatAmount !== null ? { flat_amount: t.flatAmount } : {}) })),
          tier_behavior: price.rate.tierBehavior,
        };
  return {
    ...rate,
    interval: price.interval,
    ...(price.intervalCount !== 1 ? { interval_count: price.intervalCount } : {}),
    billing_units: price.billingUnits,
    billing_method: price.billingMethod,
    max_purchase: price.maxPurchase,
  };
}

function planPriceToWire(price: NonNullable<Plan['price']>): Record<string, unknown> {
  return { amount: price.amount, interval: price.interval, ...(price.intervalCount !== 1 ? { interval_count: price.intervalCount } : {}) };
}

function freeTrialToWire(trial: NonNullable<Plan['freeTrial']>): Record<string, unknown> {
  return { duration_length: trial.durationLength, duration_type: trial.durationType, card_required: trial.cardRequired };
}

function resetToWire(reset: Reset): { interval: Reset['interval']; interval_count?: number } {
  return { interval: reset.interval, ...(reset.intervalCount !== 1 ? { interval_count: reset.intervalCount } : {}) };
}

// ---------------------------------------------------------------- full read shapes, for `atmn dev`

/** ApiFeature (§2.1) with every "always" key present. */
export function featureToApi(feature: Feature): Record<string, unknown> {
  return { ...featureToParams(feature), archived: feature.archived };
}

export interface PlanMeta {
  version: number;
  createdAt: number;
  env: 'sandbox' | 'live';
}

/**
 * ApiPlan (§2.2) with every required key present, as hosted reads it back: a priced item
 * of a consumable feature without a reset gets the derived reset, defaults are explicit.
 */
export function planToApi(plan: Plan, features: Record<string, Feature>, meta: PlanMeta): Record<string, unknown> {
  return {
    id: plan.id,
    name: plan.name,
    description: plan.description,
    group: plan.group,
    version: meta.version,
    add_on: plan.addOn,
    auto_enable: plan.autoEnable,
    price: plan.price ? planPriceToWire(plan.price) : null,
    items: plan.items.map((item) => itemToApi(item, features)),
    free_trial: plan.freeTrial ? freeTrialToWire(plan.freeTrial) : null,
    created_at: meta.createdAt,
    env: meta.env,
    archived: plan.archived,
    config: { ignore_past_due: false },
    metadata: {},
    base_variant_id: null,
    licenses: [],
    ...(plan.billingControls ? { billing_controls: plan.billingControls } : {}),
  };
}

function itemToApi(item: Item, features: Record<string, Feature>): Record<string, unknown> {
  const params = itemToParams(item);
  let reset: Record<string, unknown> | null = params.reset ?? null;
  if (!reset && item.price && ownEntry(features, item.featureId)?.consumable) {
    reset = resetToWire({ interval: item.price.interval, intervalCount: item.price.intervalCount });
  }
  return {
    feature_id: item.featureId,
    included: item.unlimited ? 0 : item.included,
    unlimited: item.unlimited,
    pooled: false,
    entity_feature_id: item.entityFeatureId,
    reset,
    price: params.price ?? null,
    ...(params.rollover ? { rollover: params.rollover } : {}),
    ...(params.proration ? { proration: params.proration } : {}),
  };
}

function creditSchemaToWire(feature: Feature): { metered_feature_id: string; credit_cost: number }[] {
  return feature.creditSchema.map((e) => ({ metered_feature_id: e.meteredFeatureId, credit_cost: e.creditCost }));
}
