import type { z } from 'zod';
import { ID_PATTERN, type Catalog, type Feature, type Item, type ItemPrice, type Plan, type Rate, type Reset, type Rollover } from '../catalog/schema.ts';
import { AtmnError } from '../errors.ts';
import { ownEntry } from '../catalog/own-entry.ts';
import {
  ApiFeature,
  ApiPlan,
  type WireFreeTrial,
  type WireItemPrice,
  type WirePlanItem,
  type WirePlanPrice,
  type WireReset,
  type WireRollover,
} from './wire-schema.ts';

/**
 * snake_case wire → Catalog (spec/wire.md §2.1–§2.3). Applies every default and equivalence
 * that can be applied to one side alone, so that a pulled Catalog equals the Catalog the
 * config loader builds from the same pricing:
 * - defaults: included 0 (and 0 when unlimited), billing_units 1, interval_count 1,
 *   max_purchase null, rollover max 0 → null, expiry length 1, group "" → null;
 * - the derived reset of §2.2 (a priced consumable item whose reset equals its price
 *   interval) is dropped, as pull does;
 * - legacy feature types, and metered without `consumable` ≡ consumable.
 * Objects the Catalog cannot hold (ai_credit_system features, variants) are skipped and
 * reported, never guessed: push then leaves them untouched because they are in neither side.
 * The `atmn dev` server reuses these functions to read write bodies (FeatureParams,
 * PlanParams), which are subsets of the read shapes.
 */

export interface WireNote {
  kind: 'feature' | 'plan';
  id: string;
  message: string;
}

export interface CatalogFromWire {
  catalog: Catalog;
  /** Things dropped or skipped on the way in, worth a warning. */
  notes: WireNote[];
}

export type FeatureFromWire = { feature: Feature; notes: string[] } | { skipped: string };
export type PlanFromWire = { plan: Plan; notes: string[] } | { skipped: string };

/** Reads the two list answers (each element still unparsed) into a Catalog. Throws remote_error on a malformed answer. */
export function catalogFromWire(featureList: unknown[], planList: unknown[]): CatalogFromWire {
  rejectPrototypeIds(featureList, 'feature');
  rejectPrototypeIds(planList, 'plan');
  const notes: WireNote[] = [];
  const features: Record<string, Feature> = {};
  featureList.forEach((raw, index) => {
    const result = featureFromWire(parseWire(ApiFeature, raw, `features.list[${index}]`));
    if ('skipped' in result) notes.push({ kind: 'feature', id: String((raw as { id?: unknown }).id), message: result.skipped });
    else {
      features[result.feature.id] = result.feature;
      for (const message of result.notes) notes.push({ kind: 'feature', id: result.feature.id, message });
    }
  });
  const plans: Record<string, Plan> = {};
  planList.forEach((raw, index) => {
    const result = planFromWire(parseWire(ApiPlan, raw, `plans.list[${index}]`), features);
    if ('skipped' in result) notes.push({ kind: 'plan', id: String((raw as { id?: unknown }).id), message: result.skipped });
    else {
      plans[result.plan.id] = result.plan;
      for (const message of result.notes) notes.push({ kind: 'plan', id: result.plan.id, message });
    }
  });
  // The mapping builds typed values; only the ids can still be wrong (hosted never sends
  // such ids, but a hand-written server might). Checked directly: compiling the Catalog
  // schema for this costs more than the whole read of a small catalog.
  const badId = findBadId(features, plans);
  if (badId) {
    throw new AtmnError('remote_error', `The remote catalog cannot be read: ${badId.where} is "${badId.id}", which is not a valid id.`, {
      hint: 'Feature and plan ids must match ^[a-zA-Z0-9_-]+$ (spec/wire.md §2.1).',
    });
  }
  return { catalog: { features, plans }, notes };
}

/**
 * `__proto__` matches the id pattern, but a JavaScript object keyed by ids cannot hold it
 * (assigning it replaces the prototype), so it would vanish without a word; say so instead.
 */
function rejectPrototypeIds(list: unknown[], kind: 'feature' | 'plan'): void {
  if (!list.some((raw) => (raw as { id?: unknown } | null)?.id === '__proto__')) return;
  throw new AtmnError('remote_error', `The remote has a ${kind} with the id "__proto__", which atmn cannot hold.`, {
    hint: `Rename that ${kind} in Autumn (a new id), then run the command again.`,
  });
}

function findBadId(features: Record<string, Feature>, plans: Record<string, Plan>): { where: string; id: string } | null {
  const check = (where: string, id: string | null) => (id !== null && !ID_PATTERN.test(id) ? { where, id } : null);
  for (const feature of Object.values(features)) {
    const bad = check(`feature ${feature.id}`, feature.id) ?? feature.creditSchema.map((e, i) => check(`feature ${feature.id} creditSchema[${i}]`, e.meteredFeatureId)).find(Boolean);
    if (bad) return bad;
  }
  for (const plan of Object.values(plans)) {
    const bad = check(`plan ${plan.id}`, plan.id)
      ?? plan.items.flatMap((item, i) => [check(`plan ${plan.id} items[${i}].featureId`, item.featureId), check(`plan ${plan.id} items[${i}].entityFeatureId`, item.entityFeatureId)]).find(Boolean);
    if (bad) return bad;
  }
  return null;
}

export function featureFromWire(api: ApiFeature): FeatureFromWire {
  const notes: string[] = [];
  const base = { id: api.id, name: api.name ?? api.id, eventNames: [...(api.event_names ?? [])], archived: api.archived ?? false };
  switch (api.type) {
    case 'ai_credit_system':
      return { skipped: 'ai_credit_system features are not modelled by atmn; left untouched on the remote.' };
    case 'boolean':
      return { feature: { ...base, type: 'boolean', consumable: false, creditSchema: [] }, notes };
    case 'credit_system':
      return {
        feature: {
          ...base,
          type: 'credit_system',
          consumable: true,
          creditSchema: (api.credit_schema ?? []).map((e) => ({ meteredFeatureId: e.metered_feature_id, creditCost: e.credit_cost })),
        },
        notes,
      };
    case 'single_use':
      return { feature: { ...base, type: 'metered', consumable: true, creditSchema: [] }, notes };
    case 'continuous_use':
      return { feature: { ...base, type: 'metered', consumable: false, creditSchema: [] }, notes };
    case 'metered':
      return { feature: { ...base, type: 'metered', consumable: api.consumable ?? true, creditSchema: [] }, notes };
  }
}

/** `features` decides whether an item's reset is the derived one (§2.2); unknown features keep their reset. */
export function planFromWire(api: ApiPlan, features: Record<string, Feature>): PlanFromWire {
  if (api.variant_details) {
    return { skipped: `a variant of plan "${api.variant_details.base_plan_id}"; variants are not modelled by atmn and are left untouched.` };
  }
  const notes: string[] = [];
  if (api.licenses && api.licenses.length > 0) notes.push('licenses are not modelled by atmn; they are kept on the remote and not written to the config.');
  if (api.price?.additional_currencies?.length) notes.push('additional currencies of the base price are not modelled by atmn and are dropped.');
  if (api.free_trial?.on_end) notes.push('free_trial.on_end is not modelled by atmn and is dropped.');
  const items = (api.items ?? []).map((item, index) => itemFromWire(item, features, (m) => notes.push(`items[${index}]: ${m}`)));
  items.forEach((item, index) => {
    for (const id of new Set([item.featureId, item.entityFeatureId ?? item.featureId])) {
      if (!Object.hasOwn(features, id)) notes.push(`items[${index}] uses feature "${id}", which the remote does not list as a feature atmn can hold; a config using it will not validate until "${id}" is declared.`);
    }
  });
  const group = api.group ?? null;
  const billingControls = api.billing_controls && Object.keys(api.billing_controls).length > 0 ? api.billing_controls : null;
  return {
    plan: {
      id: api.id,
      name: api.name ?? api.id,
      description: api.description ?? null,
      group: group === '' ? null : group,
      addOn: api.add_on ?? false,
      autoEnable: api.auto_enable ?? false,
      price: api.price ? planPriceFromWire(api.price) : null,
      freeTrial: api.free_trial ? freeTrialFromWire(api.free_trial) : null,
      items,
      archived: api.archived ?? false,
      billingControls,
    },
    notes,
  };
}

function itemFromWire(item: WirePlanItem, features: Record<string, Feature>, note: (message: string) => void = () => {}): Item {
  const unlimited = item.unlimited ?? false;
  const price = item.price ? itemPriceFromWire(item.price, note) : null;
  let reset = item.reset ? resetFromWire(item.reset) : null;
  const feature = ownEntry(features, item.feature_id);
  if (reset && price && feature?.consumable && reset.interval === price.interval && reset.intervalCount === price.intervalCount) {
    reset = null; // the §2.2 derived reset: the config never wrote it (pull drops it, §2.3)
  }
  if (item.pooled) note('pooled items are not modelled by atmn; "pooled" is dropped.');
  return {
    featureId: item.feature_id,
    included: unlimited ? 0 : (item.included ?? 0),
    unlimited,
    reset,
    price,
    entityFeatureId: item.entity_feature_id ?? null,
    rollover: item.rollover ? rolloverFromWire(item.rollover) : null,
    proration: item.proration ? { onIncrease: item.proration.on_increase, onDecrease: item.proration.on_decrease } : null,
  };
}

function itemPriceFromWire(price: WireItemPrice, note: (message: string) => void = () => {}): ItemPrice {
  let rate: Rate;
  if (price.tiers && price.tiers.length > 0) {
    rate = {
      kind: 'tiered',
      tiers: price.tiers.map((t) => ({ to: t.to, amount: t.amount, flatAmount: t.flat_amount ?? null })),
      tierBehavior: price.tier_behavior ?? 'graduated',
    };
  } else {
    rate = { kind: 'flat', amount: price.amount ?? 0 };
  }
  if (price.additional_currencies?.length || price.tiers?.some((t) => t.additional_currencies?.length)) {
    note('additional currencies are not modelled by atmn and are dropped.');
  }
  return {
    rate,
    interval: price.interval,
    intervalCount: price.interval_count ?? 1,
    billingUnits: price.billing_units ?? 1,
    billingMethod: price.billing_method ?? 'prepaid',
    maxPurchase: price.max_purchase ?? null,
  };
}

function planPriceFromWire(price: WirePlanPrice): NonNullable<Plan['price']> {
  return { amount: price.amount, interval: price.interval, intervalCount: price.interval_count ?? 1 };
}

function freeTrialFromWire(trial: WireFreeTrial): NonNullable<Plan['freeTrial']> {
  return { durationLength: trial.duration_length, durationType: trial.duration_type ?? 'day', cardRequired: trial.card_required ?? false };
}

function resetFromWire(reset: WireReset): Reset {
  return { interval: reset.interval, intervalCount: reset.interval_count ?? 1 };
}

function rolloverFromWire(rollover: WireRollover): Rollover {
  // A max of 0 or null means "no cap" (semantics R7.9): both read as null.
  const max = rollover.max === undefined || rollover.max === null || rollover.max === 0 ? null : rollover.max;
  return {
    max,
    maxPercentage: rollover.max_percentage ?? null,
    expiryDurationType: rollover.expiry_duration_type,
    expiryDurationLength: rollover.expiry_duration_length ?? 1,
  };
}

/** zod-parses one wire object; a mismatch is the server's fault, so it names the key and the request. */
export function parseWire<T extends z.ZodType>(schema: T, raw: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? [where, ...issue.path.map(String)].join('.') : where;
  throw new AtmnError('remote_error', `The server sent an answer atmn cannot read: ${path}: ${issue?.message ?? 'invalid'}.`, {
    hint: 'Is the target an Autumn-compatible API (spec/wire.md)? Check --url / ATMN_BACKEND_URL.',
    details: { where: path },
  });
}
