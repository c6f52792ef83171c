import { z } from 'zod';
import { compareIds } from '../../catalog/order.ts';
import type { CheckResult, Deduction, EntityData, TrackResult } from '../../engine/index.ts';
import { AtmnError } from '../../errors.ts';
import type { DevRuntime } from '../dev-runtime.ts';
import { IdField, NonNegativeNumber, NumberField, ObjectField, TimestampField, invalidInput, parseInput } from '../input.ts';
import type { Environment, Route, RouteRequest } from '../router.ts';
import { balanceToWire, flagToWire } from '../wire-balance.ts';
import { itemLookup } from '../wire-customer.ts';
import { featureNotFound } from '../catalog-state.ts';

/** Check (wire.md §5.4) and track (§5.5) in all their spellings. */
export function balanceRoutes(runtime: DevRuntime): Route[] {
  const check = (req: RouteRequest) => {
    const b = parseInput(CheckBody, req.body);
    if (b.product_id !== undefined) throw invalidInput('product_id', 'checks (product checks) are not supported; check a feature_id instead.');
    if (b.feature_id === undefined) throw invalidInput('feature_id', 'is required; it is missing.');
    const required = b.required_balance ?? b.required_quantity ?? 1;
    const pending = runtime.refresh(req.env, b.customer_id);
    const run = () => {
      refusePrototypeNames(runtime, req.env, b.feature_id!, b.entity_data?.feature_id);
      const result = runtime.runIfChanged(
        {
          op: 'check',
          env: req.env,
          now: runtime.clockFor(req.env, b.customer_id),
          req: {
            customerId: b.customer_id,
            featureId: b.feature_id!,
            entityId: b.entity_id ?? null,
            requiredBalance: required,
            entityData: entityData(b.entity_data),
            sendEvent: b.send_event ?? false,
            properties: b.properties ?? null,
          },
        },
        (r) => r.entity_created === true || r.track !== undefined,
      );
      return result instanceof Promise ? result.then((r) => checkToWire(runtime, req.env, r)) : checkToWire(runtime, req.env, result);
    };
    return pending ? pending.then(run) : run();
  };

  const track = async (req: RouteRequest) => {
    const b = parseInput(TrackBody, req.body);
    if (b.overage_behavior === 'overflow') {
      throw invalidInput('overage_behavior', '"overflow" is not supported by atmn dev; use "cap" (default) or "reject".');
    }
    if ((b.feature_id === undefined) === (b.event_name === undefined)) {
      throw invalidInput('feature_id', b.feature_id === undefined ? 'or event_name is required; both are missing.' : 'and event_name were both given; send exactly one.');
    }
    // wire.md §6.1: the body key and the Idempotency-Key header are both claimed when both are sent.
    const header = req.headers['idempotency-key'];
    const keys = [...new Set([b.idempotency_key, typeof header === 'string' && header !== '' ? header : undefined])].filter((k) => k !== undefined);
    const alsoClaim = keys.length > 1 ? { alsoClaim: keys.slice(1) } : {};
    const value = b.value ?? legacyValue(b.properties) ?? 1;
    const customerId = b.customer_id;
    await runtime.refresh(req.env, customerId);
    refusePrototypeNames(runtime, req.env, b.feature_id, b.entity_data?.feature_id);
    const now = runtime.clockFor(req.env, customerId);
    if (b.timestamp !== undefined && b.timestamp > now) {
      throw invalidInput('timestamp', `must not be later than the customer's clock (${new Date(now).toISOString()}); got ${new Date(b.timestamp).toISOString()}.`);
    }
    const base = {
      customerId,
      entityId: b.entity_id ?? null,
      value,
      overageBehavior: b.overage_behavior ?? 'cap',
      idempotencyKey: keys[0] ?? null,
      properties: b.properties ?? null,
      entityData: entityData(b.entity_data),
      timestamp: b.timestamp ?? null,
    } as const;
    // A refusal after an entity was auto-created keeps the entity (semantics R5.2): journal it.
    const keepRefused = (_error: AtmnError) =>
      base.entityId !== null && runtime.engine(req.env).hasCustomer(customerId) && runtime.engine(req.env).entities(customerId).some((e) => e.id === base.entityId);
    const featureIds = b.feature_id !== undefined ? [b.feature_id] : featuresOfEvent(runtime, req.env, b.event_name!);
    if (featureIds.length === 1) {
      const result = await runtime.run({ op: 'track', env: req.env, now, req: { ...base, featureId: featureIds[0]! }, ...alsoClaim }, keepRefused);
      return trackToWire(runtime, req.env, result, b.event_name);
    }
    const results = await runtime.run({ op: 'track_event', env: req.env, now, req: base, featureIds, ...alsoClaim }, keepRefused);
    const lookup = itemLookup(runtime, req.env);
    const views = runtime.engine(req.env).balances(customerId, base.entityId);
    return {
      customer_id: customerId,
      entity_id: base.entityId,
      event_name: b.event_name,
      value,
      balance: null,
      balances: Object.fromEntries(featureIds.map((f) => [f, views[f] ? balanceToWire(views[f], lookup) : null])),
      deductions: results.flatMap((r) => r.deductions.map(deductionToWire)),
      ...(results.some((r) => r.entity_created) ? { entity_created: true } : {}),
    };
  };

  return [
    { method: 'POST', path: '/v1/balances.check', handler: check },
    { method: 'POST', path: '/v1/check', handler: check },
    { method: 'POST', path: '/v1/entitled', handler: check },
    { method: 'GET', path: '/v1/entitled', handler: check },
    { method: 'POST', path: '/v1/balances.track', handler: track },
    { method: 'POST', path: '/v1/track', handler: track },
    { method: 'POST', path: '/v1/events', handler: track },
  ];
}

function checkToWire(runtime: DevRuntime, env: Environment, r: CheckResult): Record<string, unknown> {
  const lookup = itemLookup(runtime, env);
  const balance = r.balance ? balanceToWire(r.balance, lookup) : null;
  const out: Record<string, unknown> = {
    allowed: r.allowed,
    customer_id: r.customer_id,
    entity_id: r.entity_id,
    feature_id: r.feature_id,
    required_balance: r.required_balance,
    balance,
    flag: r.flag ? flagToWire(r.flag) : null,
  };
  if (r.credit_balances.length > 0) {
    const balances: Record<string, unknown> = { [r.feature_id]: balance };
    for (const [id, view] of Object.entries(r.credit_views)) balances[id] = view ? balanceToWire(view, lookup) : null;
    out.balances = balances;
    out.credit_balances = r.credit_balances;
  }
  if (r.entity_created) out.entity_created = true;
  return out;
}

function trackToWire(runtime: DevRuntime, env: Environment, r: TrackResult, eventName: string | undefined): Record<string, unknown> {
  const lookup = itemLookup(runtime, env);
  const balance = r.balance ? balanceToWire(r.balance, lookup) : null;
  const out: Record<string, unknown> = {
    customer_id: r.customer_id,
    entity_id: r.entity_id,
    ...(eventName !== undefined ? { event_name: eventName } : {}),
    feature_id: r.feature_id,
    value: r.value,
    applied: r.applied,
    balance,
    deductions: r.deductions.map(deductionToWire),
  };
  if (r.credit_balances.length > 0) {
    const views = runtime.engine(env).balances(r.customer_id, r.entity_id);
    const balances: Record<string, unknown> = { [r.feature_id]: balance };
    for (const c of r.credit_balances) balances[c.feature_id] = views[c.feature_id] ? balanceToWire(views[c.feature_id]!, lookup) : null;
    out.balances = balances;
    out.credit_balances = r.credit_balances;
  }
  if (r.entity_created) out.entity_created = true;
  return out;
}

function deductionToWire(d: Deduction): Record<string, unknown> {
  return {
    balance_id: d.balance_id,
    feature_id: d.feature_id,
    plan_id: d.plan_id,
    reset: d.reset ? { interval: d.reset.interval, interval_count: d.reset.interval_count, resets_at: d.next_reset_at } : null,
    value: d.amount,
    owner: d.owner,
    entity_id: d.entity_id,
    amount: d.amount,
  };
}

/** Features whose event_names list the name, in ascending id (wire.md §5.5); none → feature_not_found. */
function featuresOfEvent(runtime: DevRuntime, env: Environment, eventName: string): string[] {
  const ids = runtime.catalog(env).featureList().filter((f) => f.feature.eventNames.includes(eventName)).map((f) => f.feature.id).sort(compareIds);
  if (ids.length === 0) {
    throw new AtmnError('feature_not_found', `No feature lists the event name '${eventName}' in its event_names.`, {
      hint: 'Add it to a feature\'s eventNames in autumn.config.ts and push, or track by feature_id.',
      details: { event_name: eventName },
    });
  }
  return ids;
}

/**
 * The engine looks features up in a plain object, where an unknown id such as 'constructor'
 * or 'toString' finds a member of Object.prototype instead of nothing: the request would
 * "succeed" and leave state that cannot be restored. Such ids get the engine's own answer
 * for an unknown feature, 404 feature_not_found, before they reach it.
 */
function refusePrototypeNames(runtime: DevRuntime, env: Environment, ...featureIds: (string | undefined)[]): void {
  const catalog = runtime.catalog(env);
  for (const id of featureIds) if (id !== undefined && id in Object.prototype && !catalog.hasFeature(id)) throw featureNotFound(id);
}

function legacyValue(properties: Record<string, unknown> | undefined): number | undefined {
  const v = properties?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function entityData(data: { feature_id: string; name?: string | null | undefined } | undefined): EntityData | null {
  return data ? { featureId: data.feature_id, name: data.name ?? null } : null;
}

const EntityDataField = z.object({ feature_id: IdField, name: z.string().nullish() });

const CheckBody = z.object({
  customer_id: IdField,
  feature_id: IdField.optional(),
  product_id: z.unknown().optional(),
  entity_id: IdField.optional(),
  required_balance: NonNegativeNumber.optional(),
  required_quantity: NonNegativeNumber.optional(),
  send_event: z.boolean().optional(),
  properties: ObjectField.optional(),
  with_preview: z.boolean().optional(),
  entity_data: EntityDataField.optional(),
  customer_data: z.unknown().optional(),
});

const TrackBody = z.object({
  customer_id: IdField,
  feature_id: IdField.optional(),
  event_name: z.string().min(1, 'must not be empty').optional(),
  entity_id: IdField.optional(),
  value: NumberField.optional(),
  properties: ObjectField.optional(),
  timestamp: TimestampField.optional(),
  overage_behavior: z.enum(['cap', 'reject', 'overflow']).optional(),
  idempotency_key: z.string().min(1, 'must not be empty').optional(),
  entity_data: EntityDataField.optional(),
  customer_data: z.unknown().optional(),
  async: z.boolean().optional(),
});
