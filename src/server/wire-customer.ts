import type { Plan } from '../catalog/schema.ts';
import type { AttachmentInfo, EntityInfo } from '../engine/index.ts';
import { planToApi } from '../remote/wire.ts';
import type { DevRuntime } from './dev-runtime.ts';
import type { Environment } from './router.ts';
import { balanceToWire, flagToWire, type ItemLookup } from './wire-balance.ts';

/** What a Customer or Entity response is built from: the state, the key's env and `expand`. */
export interface ViewContext {
  runtime: DevRuntime;
  env: Environment;
  /** wire.md §4.6: entities, subscriptions.plan, balances.feature, invoices, referrals, rewards. */
  expand: ReadonlySet<string>;
}

/** `expand` as the routes parse it (a list; the query form's comma-separated string already split). */
export function viewContext(runtime: DevRuntime, env: Environment, expand?: readonly string[] | null): ViewContext {
  return { runtime, env, expand: new Set((expand ?? []).map((x) => x.trim())) };
}

/** Customer of wire.md §5.1 (every key autumn-js validates; `licenses` is required). */
export function customerToWire(ctx: ViewContext, customerId: string): Record<string, unknown> {
  const engine = ctx.runtime.engine(ctx.env);
  const info = engine.getCustomer(customerId);
  const profile = ctx.runtime.state(ctx.env).profiles.get(customerId);
  const { subscriptions, purchases } = plansToWire(ctx, engine.attachments(customerId));
  const out: Record<string, unknown> = {
    id: info.id,
    name: info.name,
    email: info.email,
    fingerprint: profile?.fingerprint ?? null,
    created_at: info.created_at,
    stripe_id: null,
    env: ctx.env,
    metadata: profile?.metadata ?? {},
    billing_controls: {},
    send_email_receipts: profile?.send_email_receipts ?? false,
    subscriptions,
    purchases,
    licenses: [],
    balances: balancesToWire(ctx, customerId, null),
    flags: flagsToWire(ctx, customerId, null),
    scheduled_subscriptions: [],
  };
  if (ctx.expand.has('entities')) out.entities = engine.entities(customerId).map((e) => entityRecord(ctx.env, e));
  if (ctx.expand.has('invoices')) out.invoices = [];
  if (ctx.expand.has('referrals')) out.referrals = [];
  if (ctx.expand.has('rewards')) out.rewards = null;
  return out;
}

/** Entity of wire.md §5.1: its own plans plus the customer-level ones it inherits, and its view of balances. */
export function entityToWire(ctx: ViewContext, entity: EntityInfo): Record<string, unknown> {
  const engine = ctx.runtime.engine(ctx.env);
  const visible = engine.attachments(entity.customer_id).filter((a) => a.scope === 'customer' || a.entity_id === entity.id);
  const { subscriptions, purchases } = plansToWire(ctx, visible);
  return {
    ...entityRecord(ctx.env, entity),
    subscriptions,
    purchases,
    balances: balancesToWire(ctx, entity.customer_id, entity.id),
    flags: flagsToWire(ctx, entity.customer_id, entity.id),
    billing_controls: {},
  };
}

/** The short entity form of `expand=entities` (wire.md §4.6). */
function entityRecord(env: Environment, e: EntityInfo): Record<string, unknown> {
  return { id: e.id, name: e.name, customer_id: e.customer_id, feature_id: e.feature_id, created_at: e.created_at, env };
}

function balancesToWire(ctx: ViewContext, customerId: string, entityId: string | null): Record<string, unknown> {
  const views = ctx.runtime.engine(ctx.env).balances(customerId, entityId);
  const lookup = itemLookup(ctx.runtime, ctx.env);
  const features = ctx.expand.has('balances.feature') ? ctx.runtime.catalog(ctx.env).latest().features : null;
  const out: Record<string, unknown> = {};
  for (const [featureId, view] of Object.entries(views)) out[featureId] = balanceToWire(view, lookup, features?.[featureId]);
  return out;
}

function flagsToWire(ctx: ViewContext, customerId: string, entityId: string | null): Record<string, unknown> {
  const flags = ctx.runtime.engine(ctx.env).flags(customerId, entityId);
  const out: Record<string, unknown> = {};
  for (const [featureId, flag] of Object.entries(flags)) out[featureId] = flagToWire(flag);
  return out;
}

/** The plan version an attachment was made with (wire.md §3.1: new versions never reach existing holders). */
function attachedPlan(runtime: DevRuntime, env: Environment, attachmentId: string, planId: string): { plan: Plan; version: number; createdAt: number } | null {
  const catalog = runtime.catalog(env);
  if (!catalog.hasPlan(planId)) return null;
  const version = runtime.state(env).attachments.get(attachmentId)?.version;
  const versions = catalog.versions(planId);
  return versions.find((v) => v.version === version) ?? versions[versions.length - 1]!;
}

export function itemLookup(runtime: DevRuntime, env: Environment): ItemLookup {
  return (attachmentId, planId, itemIndex) => attachedPlan(runtime, env, attachmentId, planId)?.plan.items[itemIndex] ?? null;
}

function plansToWire(ctx: ViewContext, attachments: AttachmentInfo[]): { subscriptions: unknown[]; purchases: unknown[] } {
  const subscriptions: unknown[] = [];
  const purchases: unknown[] = [];
  const meta = ctx.runtime.state(ctx.env).attachments;
  const features = ctx.runtime.catalog(ctx.env).latest().features;
  for (const a of attachments) {
    const stored = attachedPlan(ctx.runtime, ctx.env, a.id, a.plan_id);
    const expanded = stored && ctx.expand.has('subscriptions.plan')
      ? { plan: planToApi(stored.plan, features, { version: stored.version, createdAt: stored.createdAt, env: ctx.env }) }
      : {};
    if (stored && isPurchase(stored.plan)) {
      purchases.push({ plan_id: a.plan_id, expires_at: null, started_at: a.attached_at, quantity: 1, scope: a.scope, ...expanded });
      continue;
    }
    subscriptions.push({
      id: meta.get(a.id)?.subscriptionId ?? a.id,
      plan_id: a.plan_id,
      auto_enable: a.auto_enable,
      add_on: a.add_on,
      status: 'active',
      past_due: false,
      canceled_at: null,
      expires_at: null,
      trial_ends_at: null,
      started_at: a.attached_at,
      current_period_start: a.current_period_start,
      current_period_end: a.current_period_end,
      quantity: 1,
      scope: a.scope,
      ...expanded,
    });
  }
  return { subscriptions, purchases };
}

/** wire.md §5.1: a one-off base price, or no base price and only one-off priced items. */
function isPurchase(plan: Plan): boolean {
  if (plan.price) return plan.price.interval === 'one_off';
  const priced = plan.items.filter((i) => i.price !== null);
  return priced.length > 0 && priced.every((i) => i.price!.interval === 'one_off');
}
