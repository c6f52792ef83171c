/** check (§4) and track (§5): request shape, processing order (R5.2), response (R4.4, R5.15). */
import { ownEntry } from '../catalog/own-entry.ts';
import type { Feature } from '../catalog/schema.ts';
import { requireCustomer } from './attach.ts';
import { DAY_MS } from './calendar.ts';
import type { Core } from './core.ts';
import { add, isNeg, neg, ONE, parse, sub, toNumber, type Q } from './decimal.ts';
import { rollback, walkCustomer, walkEntity, walkEntityFast, type Touch } from './deduct.ts';
import { resolveEntity } from './entities.ts';
import { duplicateKey, featureNotFound, insufficientBalance, invalidInput, shown } from './failures.ts';
import type { Cell, CustomerRec, EntityRec, WalkEntry } from './model.ts';
import type { CheckRequest, CheckResult, Deduction, TrackOptions, TrackRequest, TrackResult } from './types.ts';
import { creditBalances, flagsFor, flagView, isAllowed, ownerOf, subjectView } from './view.ts';
import { customerWalk, entityWalk, fastEntityWalk } from './walk.ts';

function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '') throw invalidInput(`${name} must be a non-empty string; got ${shown(value)}.`);
  return value;
}

function requiredFeatureId(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw invalidInput(`feature_id must be a non-empty string; got ${shown(value)}.`);
  return value;
}

function entityDataOf(value: unknown): { featureId?: unknown; name?: unknown } | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidInput(`entity_data must be an object {feature_id, name?}; got ${shown(value)}.`);
  return value as { featureId?: unknown; name?: unknown };
}

function propertiesOf(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidInput(`properties must be an object; got ${shown(value)}.`);
  return structuredClone(value as Record<string, unknown>);
}

function lookupFeature(core: Core, featureId: string): Feature {
  const feature = ownEntry(core.catalog.features, featureId);
  if (feature === undefined) throw featureNotFound(featureId);
  return feature;
}

function deduction(t: Touch, amount: Q): Deduction {
  const g = t.cell.grant;
  return {
    balance_id: t.cell.id,
    feature_id: g.featureId,
    plan_id: g.attachment.plan.id,
    owner: ownerOf(g),
    entity_id: t.cell.entity?.id ?? null,
    amount: toNumber(amount),
    rollover: t.roll !== null,
    // Frozen and shared: results stay plain data without a copy per deduction.
    reset: g.reset,
    next_reset_at: g.resetTimer?.at ?? null,
  };
}

/** One entry per grant touched (R5.15), in first-touch order; a rollover is its own grant. */
function deductions(touches: Touch[], n: number): Deduction[] {
  if (n === 0) return [];
  if (n === 1) return [deduction(touches[0] as Touch, (touches[0] as Touch).amount)];
  const firsts: Touch[] = [];
  const sums: Q[] = [];
  const index = n > 8 ? new Map<object, number>() : null;
  for (let k = 0; k < n; k++) {
    const t = touches[k] as Touch;
    const key: object = t.roll ?? t.cell;
    let at = -1;
    if (index !== null) at = index.get(key) ?? -1;
    else for (let i = 0; i < firsts.length; i++) if (((firsts[i] as Touch).roll ?? (firsts[i] as Touch).cell) === key) at = i;
    if (at < 0) {
      index?.set(key, firsts.length);
      firsts.push(t);
      sums.push(t.amount);
    } else sums[at] = add(sums[at] as Q, t.amount);
  }
  return firsts.map((t, i) => deduction(t, sums[i] as Q));
}

/** Runs a validated track against its subject (R5.2 steps 5–7). */
function runTrack(core: Core, customer: CustomerRec, entity: EntityRec | null, feature: Feature, value: Q, reject: boolean,
  key: string | null, alsoClaim: readonly string[], properties: Record<string, unknown> | null, view: boolean, timestamp: number): TrackResult {
  const featureId = feature.id;
  let ctx;
  if (entity === null) ctx = walkCustomer(customerWalk(core.catalog, customer, featureId), value, !reject);
  else if (!isNeg(value) && ((entity.fastFeature === featureId && entity.fastVersion === customer.version) || fastEntityWalk(core.catalog, entity, featureId))) {
    ctx = walkEntityFast(entity.fastCell as Cell, entity.fastEntry as WalkEntry, entity.fastPool as WalkEntry[], value, !reject);
  } else ctx = walkEntity(entityWalk(core.catalog, entity, featureId), value, !reject);
  let applied: Q;
  if (isNeg(value)) applied = neg(sub(neg(value), ctx.need));
  else {
    applied = sub(value, ctx.need);
    if (reject && ctx.need !== 0) {
      rollback(ctx.touches, ctx.count);
      const subject = entity === null ? `Customer '${customer.id}'` : `Entity '${entity.id}' of customer '${customer.id}'`;
      throw insufficientBalance(subject, featureId, toNumber(applied), toNumber(value),
        { customer_id: customer.id, entity_id: entity?.id ?? null });
    }
  }
  const id = ++core.counters.event;
  customer.events.add(id, 'track', entity === null ? null : entity.id, featureId, value, applied, key, properties, timestamp);
  if (key !== null) customer.idempotency.set(key, customer.now);
  for (const extra of alsoClaim) customer.idempotency.set(extra, customer.now);
  if (feature.type === 'metered' && !feature.consumable && applied !== 0) {
    customer.seatTracked.set(featureId, add(customer.seatTracked.get(featureId) ?? 0, applied));
  }
  const result: TrackResult = {
    customer_id: customer.id,
    entity_id: entity?.id ?? null,
    feature_id: featureId,
    value: toNumber(value),
    applied: toNumber(applied),
    balance: null,
    credit_balances: [],
    deductions: deductions(ctx.touches, ctx.count),
    event_id: `evt_${id}`,
  };
  if (view) {
    result.balance = subjectView(core, customer, entity, featureId);
    result.credit_balances = creditBalances(core, customer, entity, featureId).list;
  }
  return result;
}

export function track(core: Core, req: TrackRequest, options: TrackOptions = {}): TrackResult {
  // R5.2 step 1: shape.
  const featureId = requiredFeatureId(req.featureId);
  const value = req.value === undefined || req.value === null ? ONE : parse(req.value);
  if (value === null) throw invalidInput(`value must be a finite number; got ${shown(req.value)}.`);
  const behavior = req.overageBehavior ?? 'cap';
  if (behavior !== 'cap' && behavior !== 'reject') {
    throw invalidInput(`overage_behavior must be "cap" or "reject"; got ${shown(behavior)}.`, {}, behavior === 'overflow' ? '"overflow" is not modelled by this engine.' : undefined);
  }
  const entityId = optionalString(req.entityId, 'entity_id');
  const key = optionalString(req.idempotencyKey, 'idempotency_key');
  const alsoClaim = (req.alsoClaim ?? []).map((extra) => optionalString(extra, 'idempotency_key')).filter((extra): extra is string => extra !== null);
  const properties = propertiesOf(req.properties);
  const entityData = entityDataOf(req.entityData);
  const timestamp = req.timestamp ?? null;
  if (timestamp !== null && !Number.isInteger(timestamp)) throw invalidInput(`timestamp must be epoch milliseconds; got ${shown(timestamp)}.`);
  // Step 2: idempotency, on the customer's clock (R5.14).
  const claims = key === null ? alsoClaim : [key, ...alsoClaim];
  if (claims.length > 0 && typeof req.customerId === 'string') {
    const c = core.customers.get(req.customerId);
    for (const claimed of claims) {
      const at = c?.idempotency.get(claimed);
      if (c !== undefined && at !== undefined && c.now < at + DAY_MS) throw duplicateKey(claimed, at, c.id);
    }
  }
  // Step 3.
  const customer = requireCustomer(core, req.customerId);
  const feature = lookupFeature(core, featureId);
  if (timestamp !== null && timestamp > customer.now) {
    throw invalidInput(`timestamp must not be later than the customer's clock (${new Date(customer.now).toISOString()}); got ${new Date(timestamp).toISOString()}.`);
  }
  if (feature.type === 'boolean') {
    throw invalidInput(`Feature '${featureId}' is a boolean feature and cannot be tracked.`, { feature_id: featureId }, 'Use check to read a boolean feature.');
  }
  // Step 4: the entity, auto-created if allowed (R3.11); the creation survives a later refusal.
  // A live entity is looked up inline: the hot path allocates nothing.
  let entity: EntityRec | null = null;
  let created = false;
  if (entityId !== null) {
    entity = customer.entities.get(entityId) ?? null;
    if (entity === null) ({ entity, created } = resolveEntity(core, customer, entityId, featureId, entityData));
  }
  const result = runTrack(core, customer, entity, feature, value, behavior === 'reject', key, alsoClaim, properties, options.view !== false, timestamp ?? customer.now);
  if (created) result.entity_created = true;
  return result;
}

export function check(core: Core, req: CheckRequest): CheckResult {
  const featureId = requiredFeatureId(req.featureId);
  const required = req.requiredBalance === undefined || req.requiredBalance === null ? ONE : parse(req.requiredBalance);
  if (required === null || isNeg(required)) {
    throw invalidInput(`required_balance must be a finite number ≥ 0; got ${shown(req.requiredBalance)}.`);
  }
  const entityId = optionalString(req.entityId, 'entity_id');
  const entityData = entityDataOf(req.entityData);
  const properties = propertiesOf(req.properties);
  if (req.sendEvent !== undefined && typeof req.sendEvent !== 'boolean') throw invalidInput(`send_event must be a boolean; got ${shown(req.sendEvent)}.`);
  const customer = requireCustomer(core, req.customerId);
  const feature = lookupFeature(core, featureId);
  let entity: EntityRec | null = null;
  let created = false;
  if (entityId !== null) ({ entity, created } = resolveEntity(core, customer, entityId, featureId, entityData));
  const result: CheckResult = {
    allowed: false,
    customer_id: customer.id,
    entity_id: entity?.id ?? null,
    feature_id: featureId,
    required_balance: toNumber(required),
    balance: null,
    flag: null,
    credit_balances: [],
    credit_views: {},
  };
  if (created) result.entity_created = true;
  if (feature.type === 'boolean') {
    const { evaluation, display } = flagsFor(customer, entity, featureId);
    result.allowed = evaluation.length > 0;
    const flag = evaluation[0] ?? display[0];
    result.flag = flag === undefined ? null : flagView(flag);
    return result;
  }
  result.allowed = isAllowed(core, customer, entity, featureId, required);
  if (req.sendEvent === true && result.allowed) {
    result.track = runTrack(core, customer, entity, feature, required, true, null, [], properties, false, customer.now);
  }
  result.balance = subjectView(core, customer, entity, featureId);
  const credits = creditBalances(core, customer, entity, featureId);
  result.credit_balances = credits.list;
  result.credit_views = credits.views;
  return result;
}

