import { Feature as FeatureSchema, Plan as PlanSchema, type Feature, type Plan } from '../catalog/schema.ts';
import { AtmnError } from '../errors.ts';
import { ApiFeature, ApiPlan, featureFromWire, featureToApi, planFromWire, planToApi } from '../remote/wire.ts';
import { ownEntry } from '../catalog/own-entry.ts';
import { invalidInput, parseInput } from './input.ts';

/**
 * Feature and plan write bodies → Catalog objects (wire.md §3.1, §3.2, §4.1). The wire
 * mapping is remote/wire-read.ts; this file adds what a server needs on top: id aliases,
 * partial updates ("an absent key keeps the stored value; null clears it"), refusals of
 * what is not modelled, and cross-reference checks that name the offending field.
 */

/** Plan keys a write may set; anything else in the body (intent flags, create_in_stripe…) is not plan data. */
const PLAN_DATA_KEYS = ['name', 'description', 'group', 'add_on', 'auto_enable', 'price', 'items', 'free_trial', 'billing_controls', 'archived'] as const;
const FEATURE_DATA_KEYS = ['name', 'type', 'consumable', 'event_names', 'credit_schema', 'archived'] as const;

/** `feature_id` (RPC, catalog) or `id` (REST); refuses renames (wire.md §3.2). */
export function featureIdOf(body: Record<string, unknown>, pathId?: string): string {
  return idOf(body, 'feature_id', 'new_feature_id', pathId);
}

export function planIdOf(body: Record<string, unknown>, pathId?: string): string {
  return idOf(body, 'plan_id', 'new_plan_id', pathId);
}

/** A whole feature from a create body (or a catalog entry). */
export function featureFromBody(body: Record<string, unknown>, id: string, features: Record<string, Feature>, field = ''): Feature {
  refuseReservedId(id, field);
  const api = parseInput(ApiFeature, { ...body, id });
  const read = featureFromWire(api);
  if ('skipped' in read) throw invalidInput(`${field}type`, `"${api.type}" features are not modelled by atmn dev.`);
  const feature = checkSchema(FeatureSchema, read.feature, field);
  checkCreditSchema(feature, features, field);
  return feature;
}

/** A feature update: the stored feature with the body's keys laid over it. */
export function mergeFeature(stored: Feature, body: Record<string, unknown>, features: Record<string, Feature>): Feature {
  const wire: Record<string, unknown> = featureToApi(stored);
  for (const key of FEATURE_DATA_KEYS) if (key in body) wire[key] = body[key];
  if ('type' in body && body.type !== stored.type && !('consumable' in body)) delete wire.consumable;
  return featureFromBody(wire, stored.id, features);
}

/** A whole plan from a create body or a catalog entry for a new plan. */
export function planFromBody(body: Record<string, unknown>, id: string, features: Record<string, Feature>, field = ''): Plan {
  refuseReservedId(id, field);
  const data: Record<string, unknown> = { id };
  for (const key of PLAN_DATA_KEYS) if (key in body) data[key] = body[key];
  return readPlan(data, features, field);
}

/** A plan update: `base` (a stored version) with the body's plan keys laid over it. */
export function mergePlan(base: Plan, body: Record<string, unknown>, features: Record<string, Feature>, field = ''): Plan {
  const wire: Record<string, unknown> = planToApi(base, features, { version: 1, createdAt: 0, env: 'sandbox' });
  for (const key of PLAN_DATA_KEYS) if (key in body) wire[key] = body[key];
  return readPlan(wire, features, field);
}

function readPlan(data: Record<string, unknown>, features: Record<string, Feature>, field: string): Plan {
  if (Array.isArray(data.licenses) && data.licenses.length > 0) throw invalidInput(`${field}licenses`, 'are not modelled by atmn dev; send [] or leave them out.');
  const api = parseInput(ApiPlan, data);
  const read = planFromWire(api, features);
  if ('skipped' in read) throw invalidInput(`${field}variant_details`, 'variants are not modelled by atmn dev.');
  const plan = checkSchema(PlanSchema, read.plan, field);
  if (plan.price && plan.price.amount < 0) throw invalidInput(`${field}price.amount`, `must be ≥ 0; got ${plan.price.amount}.`);
  plan.items.forEach((item, index) => {
    const at = `${field}items[${index}]`;
    if (item.included < 0) throw invalidInput(`${at}.included`, `must be ≥ 0; got ${item.included}.`);
    const price = item.price;
    if (price) {
      if (price.maxPurchase !== null && price.maxPurchase < 0) throw invalidInput(`${at}.price.max_purchase`, `must be ≥ 0; got ${price.maxPurchase}.`);
      const amounts = price.rate.kind === 'flat' ? [price.rate.amount] : price.rate.tiers.flatMap((t) => [t.amount, t.flatAmount ?? 0]);
      if (amounts.some((a) => a < 0)) throw invalidInput(`${at}.price`, 'amounts must be ≥ 0.');
    }
    if (!ownEntry(features, item.featureId)) throw invalidInput(`${at}.feature_id`, `names feature '${item.featureId}', which does not exist.`, 'Create the feature first (features are written before plans).');
    if (item.entityFeatureId !== null && !ownEntry(features, item.entityFeatureId)) {
      throw invalidInput(`${at}.entity_feature_id`, `names feature '${item.entityFeatureId}', which does not exist.`);
    }
    if (item.entityFeatureId === item.featureId) throw invalidInput(`${at}.entity_feature_id`, 'must differ from feature_id (semantics R2.7).');
  });
  return plan;
}

function checkCreditSchema(feature: Feature, features: Record<string, Feature>, field: string): void {
  feature.creditSchema.forEach((entry, index) => {
    const target = ownEntry(features, entry.meteredFeatureId);
    const at = `${field}credit_schema[${index}].metered_feature_id`;
    if (!target && entry.meteredFeatureId !== feature.id) throw invalidInput(at, `names feature '${entry.meteredFeatureId}', which does not exist.`);
    if (target && target.type !== 'metered') throw invalidInput(at, `names '${entry.meteredFeatureId}', which is ${target.type}, not metered.`);
    if (!(entry.creditCost > 0)) throw invalidInput(`${field}credit_schema[${index}].credit_cost`, `must be > 0; got ${entry.creditCost}.`);
  });
}

function checkSchema<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: T, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const name = path === 'id' ? 'id' : toSnake(path);
  throw invalidInput(`${field}${name}`, path === 'id' || path.endsWith('Id') ? 'must match ^[a-zA-Z0-9_-]+$.' : `is invalid: ${issue.message}.`);
}

/** The Catalog keeps features and plans in plain-object records, where a `__proto__` key would vanish unsaved. */
function refuseReservedId(id: string, field: string): void {
  if (id === '__proto__') throw invalidInput(`${field}id`, 'cannot be "__proto__"; pick another id.');
}

function idOf(body: Record<string, unknown>, key: string, renameKey: string, pathId: string | undefined): string {
  if (body[renameKey] !== undefined && body[renameKey] !== null) {
    throw invalidInput(renameKey, 'is not supported: atmn dev cannot rename; create the new id and delete the old one.');
  }
  const given = body[key] ?? body.id;
  if (pathId !== undefined) {
    if (given !== undefined && given !== pathId) throw invalidInput(body[key] !== undefined ? key : 'id', `"${String(given)}" differs from the id in the path ("${pathId}"); renames are not supported.`);
    return pathId;
  }
  if (typeof given !== 'string' || given === '') {
    throw new AtmnError('invalid_input', `${key} is required; ${given === undefined ? 'it is missing' : `got ${JSON.stringify(given)}`}.`, { path: key, details: { field: key } });
  }
  return given;
}

function toSnake(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
