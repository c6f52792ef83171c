/** What a check reports (R4.3–R4.5): `allowed`, and the figures over the display set D. */
import type { Core } from './core.ts';
import { add, cmp, div, fromInt, mul, pos, sub, toNumber, ZERO, type Q } from './decimal.ts';
import type { Cell, CustomerRec, EntityRec, FlagRec, Grant, SliceGroup, WalkEntry } from './model.ts';
import type { BalanceView, BreakdownEntry, CreditBalance, FlagView, RolloverView, SliceFigures } from './types.ts';
import { compareGrants, creditSystemsFor, customerWalk, entityWalk } from './walk.ts';

interface Figures {
  granted: Q;
  remaining: Q;
  usage: Q;
  balance: Q;
}

function rolloverViews(cell: Cell): RolloverView[] {
  return (cell.rollovers ?? []).map((r) => ({ granted: toNumber(r.granted), balance: toNumber(r.balance), created_at: r.createdAt, expires_at: r.expiresAt }));
}

function cellFigures(cell: Cell): Figures {
  const g = cell.grant;
  if (g.unlimited) return { granted: ZERO, remaining: ZERO, usage: cell.counter, balance: ZERO };
  let granted = g.granted;
  let remaining = pos(cell.balance);
  let usage = sub(g.granted, cell.balance);
  for (const r of cell.rollovers ?? []) {
    granted = add(granted, r.granted);
    remaining = add(remaining, r.balance);
    usage = add(usage, sub(r.granted, r.balance));
  }
  return { granted, remaining, usage, balance: cell.balance };
}

export function ownerOf(g: Grant): BreakdownEntry['owner'] {
  return g.group !== null ? 'slice' : g.scope === 'entity' ? 'entity' : 'customer';
}

function baseEntry(g: Grant, id: string, entityId: string | null, f: Figures, deductible: boolean, maxPurchase: Q | null): BreakdownEntry {
  return {
    balance_id: id,
    plan_id: g.attachment.plan.id,
    attachment_id: g.attachment.id,
    item_index: g.itemIndex,
    feature_id: g.featureId,
    owner: ownerOf(g),
    entity_id: entityId,
    billing: g.billing,
    included_grant: 0,
    prepaid_grant: 0,
    granted: toNumber(f.granted),
    remaining: toNumber(f.remaining),
    usage: toNumber(f.usage),
    balance: toNumber(f.balance),
    unlimited: g.unlimited,
    reset: g.reset === null ? null : { ...g.reset },
    next_reset_at: g.resetTimer?.at ?? null,
    expires_at: null,
    overage_allowed: g.billing === 'usage_based',
    max_purchase: g.billing === 'usage_based' && maxPurchase !== null ? toNumber(maxPurchase) : null,
    deductible,
    rollovers: [],
  };
}

function cellEntry(cell: Cell, deductible: boolean): { entry: BreakdownEntry; f: Figures } {
  const g = cell.grant;
  const f = cellFigures(cell);
  const entry = baseEntry(g, cell.id, cell.entity?.id ?? null, f, deductible, g.maxPurchase);
  entry.included_grant = toNumber(g.included);
  entry.prepaid_grant = toNumber(g.prepaid);
  entry.rollovers = rolloverViews(cell);
  return { entry, f };
}

function groupEntry(group: SliceGroup): { entry: BreakdownEntry; f: Figures } {
  const g = group.grant;
  const sum: Figures = { granted: ZERO, remaining: ZERO, usage: ZERO, balance: ZERO };
  const entities: SliceFigures[] = [];
  const rollovers: RolloverView[] = [];
  for (const s of group.slices) {
    const f = cellFigures(s);
    sum.granted = add(sum.granted, f.granted);
    sum.remaining = add(sum.remaining, f.remaining);
    sum.usage = add(sum.usage, f.usage);
    sum.balance = add(sum.balance, f.balance);
    const rv = rolloverViews(s);
    rollovers.push(...rv);
    entities.push({ balance_id: s.id, entity_id: (s.entity as EntityRec).id, granted: toNumber(f.granted), remaining: toNumber(f.remaining),
      usage: toNumber(f.usage), balance: toNumber(f.balance), rollovers: rv });
  }
  const n = group.slices.length;
  const maxPurchase = g.maxPurchase === null ? null : mul(g.maxPurchase, fromInt(n));
  const entry = baseEntry(g, `${g.attachment.id}:${g.itemIndex}`, null, sum, true, maxPurchase);
  entry.included_grant = toNumber(mul(g.included, fromInt(n)));
  entry.rollovers = rollovers;
  entry.entities = entities;
  return { entry, f: sum };
}

function summarize(featureId: string, parts: { entry: BreakdownEntry; f: Figures }[], deductibleUsageBased: Grant[], slicesOf: (g: Grant) => number): BalanceView {
  let granted: Q = ZERO;
  let remaining: Q = ZERO;
  let usage: Q = ZERO;
  let unlimited = false;
  let nextReset: number | null = null;
  const rollovers: RolloverView[] = [];
  for (const { entry, f } of parts) {
    granted = add(granted, f.granted);
    remaining = add(remaining, f.remaining);
    usage = add(usage, f.usage);
    if (entry.unlimited) unlimited = true;
    if (entry.next_reset_at !== null && (nextReset === null || entry.next_reset_at < nextReset)) nextReset = entry.next_reset_at;
    rollovers.push(...entry.rollovers);
  }
  const overageAllowed = deductibleUsageBased.length > 0;
  let maxPurchase: Q | null = ZERO;
  for (const g of deductibleUsageBased) {
    if (g.maxPurchase === null) {
      maxPurchase = null;
      break;
    }
    maxPurchase = add(maxPurchase, mul(g.maxPurchase, fromInt(slicesOf(g))));
  }
  return {
    feature_id: featureId,
    granted: toNumber(granted),
    remaining: toNumber(remaining),
    usage: toNumber(usage),
    unlimited,
    overage_allowed: overageAllowed,
    max_purchase: overageAllowed && maxPurchase !== null ? toNumber(maxPurchase) : null,
    next_reset_at: nextReset,
    breakdown: parts.map((p) => p.entry),
    rollovers,
  };
}

const usageBasedLimited = (g: Grant): boolean => g.billing === 'usage_based' && !g.unlimited;

/** R4.4 at customer level: pool, aggregated slices, then entity-attached entries (display only). Null when nothing is visible. */
function customerView(core: Core, customer: CustomerRec, featureId: string): BalanceView | null {
  const walk = customerWalk(core.catalog, customer, featureId);
  const parts: { entry: BreakdownEntry; f: Figures }[] = [];
  const usageBased: Grant[] = [];
  for (const e of walk.pool) {
    if (!e.isOwn) continue;
    parts.push(cellEntry(e.grant.cell as Cell, true));
    if (usageBasedLimited(e.grant)) usageBased.push(e.grant);
  }
  for (const e of walk.sources) {
    if (!e.isOwn) continue;
    const group = e.grant.group as SliceGroup;
    parts.push(groupEntry(group));
    if (usageBasedLimited(e.grant) && group.slices.length > 0) usageBased.push(e.grant);
  }
  for (const entity of customer.entities.values()) {
    const cells: Cell[] = [];
    for (const att of entity.attachments) for (const g of att.grants) if (g.featureId === featureId && g.cell !== null) cells.push(g.cell);
    cells.sort((a, b) => compareGrants(a.grant, b.grant));
    for (const c of cells) parts.push(cellEntry(c, false));
  }
  if (parts.length === 0) return null;
  return summarize(featureId, parts, usageBased, (g) => (g.group === null ? 1 : g.group.slices.length));
}

/** R4.4 at entity level: the entity's slices and entity-attached balances, then the pool. */
function entityView(core: Core, entity: EntityRec, featureId: string): BalanceView | null {
  const walk = entityWalk(core.catalog, entity, featureId);
  const parts: { entry: BreakdownEntry; f: Figures }[] = [];
  const usageBased: Grant[] = [];
  for (const o of walk.own) {
    if (!o.entry.isOwn) continue;
    parts.push(cellEntry(o.cell, true));
    if (usageBasedLimited(o.entry.grant)) usageBased.push(o.entry.grant);
  }
  for (const e of walk.pool) {
    if (!e.isOwn) continue;
    parts.push(cellEntry(e.grant.cell as Cell, true));
    if (usageBasedLimited(e.grant)) usageBased.push(e.grant);
  }
  if (parts.length === 0) return null;
  return summarize(featureId, parts, usageBased, () => 1);
}

export function subjectView(core: Core, customer: CustomerRec, entity: EntityRec | null, featureId: string): BalanceView | null {
  return entity === null ? customerView(core, customer, featureId) : entityView(core, entity, featureId);
}

/** The cells of the evaluation set E of X (R1.8, R4.2), credit systems included, with their walk entries. */
function evaluationCells(core: Core, customer: CustomerRec, entity: EntityRec | null, featureId: string): { entry: WalkEntry; cell: Cell }[] {
  const out: { entry: WalkEntry; cell: Cell }[] = [];
  if (entity === null) {
    const walk = customerWalk(core.catalog, customer, featureId);
    for (const e of walk.pool) out.push({ entry: e, cell: e.grant.cell as Cell });
    for (const e of walk.sources) for (const s of (e.grant.group as SliceGroup).slices) out.push({ entry: e, cell: s });
  } else {
    const walk = entityWalk(core.catalog, entity, featureId);
    out.push(...walk.own);
    for (const e of walk.pool) out.push({ entry: e, cell: e.grant.cell as Cell });
  }
  return out;
}

/** R4.3 rules 1, 3 and 4 for a non-boolean feature. */
export function isAllowed(core: Core, customer: CustomerRec, entity: EntityRec | null, featureId: string, required: Q): boolean {
  const cells = evaluationCells(core, customer, entity, featureId);
  if (cells.length === 0) return false;
  let capacity: Q = ZERO;
  let headroom: Q = ZERO;
  let unboundedHeadroom = false;
  for (const { entry, cell } of cells) {
    const g = entry.grant;
    if (g.unlimited) return true;
    let own = pos(cell.balance);
    for (const r of cell.rollovers ?? []) own = add(own, pos(r.balance));
    capacity = add(capacity, entry.isOwn ? own : div(own, entry.cost));
    if (g.billing === 'usage_based') {
      if (g.maxPurchase === null) unboundedHeadroom = true;
      else {
        const room = pos(sub(g.maxPurchase, pos(sub(ZERO, cell.balance))));
        headroom = add(headroom, entry.isOwn ? room : div(room, entry.cost));
      }
    }
  }
  if (unboundedHeadroom) return true;
  return cmp(add(capacity, headroom), required) >= 0;
}

/** R4.5: each credit system containing X that E holds, in credits. */
export function creditBalances(core: Core, customer: CustomerRec, entity: EntityRec | null, featureId: string): { list: CreditBalance[]; views: Record<string, BalanceView | null> } {
  const list: CreditBalance[] = [];
  const views: Record<string, BalanceView | null> = {};
  for (const link of creditSystemsFor(core.catalog, featureId)) {
    const held = evaluationCells(core, customer, entity, link.creditSystemId).some((c) => c.entry.isOwn);
    if (!held) continue;
    const v = subjectView(core, customer, entity, link.creditSystemId);
    views[link.creditSystemId] = v;
    if (v !== null) list.push({ feature_id: link.creditSystemId, granted: v.granted, remaining: v.remaining, usage: v.usage, credit_cost: toNumber(link.cost) });
  }
  return { list, views };
}

/** Flags of a boolean feature: those in E first (they decide `allowed`), then display-only ones. */
export function flagsFor(customer: CustomerRec, entity: EntityRec | null, featureId: string): { evaluation: FlagRec[]; display: FlagRec[] } {
  const evaluation: FlagRec[] = [];
  const display: FlagRec[] = [];
  for (const att of customer.attachments) {
    for (const flag of att.flags) {
      if (flag.featureId !== featureId) continue;
      if (att.entity === null) {
        if (flag.entityFeatureId === null) evaluation.push(flag);
        else if (entity === null ? [...customer.entities.values()].some((e) => e.featureId === flag.entityFeatureId) : entity.featureId === flag.entityFeatureId) evaluation.push(flag);
      } else if (att.entity === entity) evaluation.push(flag);
      else if (entity === null) display.push(flag);
    }
  }
  return { evaluation, display };
}

export function flagView(flag: FlagRec): FlagView {
  return { id: flag.id, plan_id: flag.attachment.plan.id, feature_id: flag.featureId, expires_at: null };
}

