/** Attach, detach and the end of an attachment (R1.5, R2.5, R2.7, R3.7, R6.1–R6.4, R7.2, R8.2). */
import { ownEntry } from '../catalog/own-entry.ts';
import type { Plan } from '../catalog/schema.ts';
import { isIntervalUnit, type IntervalUnit } from './calendar.ts';
import type { Core } from './core.ts';
import { ceil, cmp, div, fromNumber, isNeg, max, mul, parse, sub, toNumber, ZERO, type Q } from './decimal.ts';
import { arrearLine, attachLines, billingTimers, makeInvoice, type SeqLine } from './billing.ts';
import { customerNotFound, entityNotFound, invalidInput, planNotFound, shown } from './failures.ts';
import { addSlice, buildGrant, flagRec, isNonConsumable } from './grants.ts';
import type { AttachmentRec, BillingTimer, CustomerRec, EntityRec, Timer } from './model.ts';
import { respreadSeats, seatUsage } from './seats.ts';
import type { AttachRequest, AttachResult, AttachmentInfo, DetachRequest, DetachResult } from './types.ts';

export function requireCustomer(core: Core, customerId: unknown): CustomerRec {
  if (typeof customerId !== 'string' || customerId === '') throw invalidInput(`customer_id must be a non-empty string; got ${shown(customerId)}.`);
  const c = core.customers.get(customerId);
  if (c === undefined) throw customerNotFound(customerId);
  return c;
}

export function liveEntity(customer: CustomerRec, entityId: string): EntityRec {
  const e = customer.entities.get(entityId);
  if (e === undefined) throw entityNotFound(customer.id, entityId);
  return e;
}

/** For messages: who an attachment belongs to. */
const ownerName = (customer: CustomerRec, entity: EntityRec | null): string => (entity === null ? `customer '${customer.id}'` : `entity '${entity.id}'`);

/** R7.2: the interval of the plan's recurring price, or null. */
export function recurringOf(plan: Plan): { interval: IntervalUnit; count: number } | null {
  if (plan.price !== null && isIntervalUnit(plan.price.interval)) return { interval: plan.price.interval, count: plan.price.intervalCount };
  for (const item of plan.items) {
    if (item.price !== null && isIntervalUnit(item.price.interval)) return { interval: item.price.interval, count: item.price.intervalCount };
  }
  return null;
}

/** The timer whose period attachment listings show: the base price's, else the first priced item's. */
export function recurringTimer(billing: BillingTimer[]): Timer | null {
  return billing.find((b) => b.kind === 'base')?.timer ?? billing[0]?.timer ?? null;
}

/** R2.5: prepaid units per item index from the requested total quantities. */
function prepaidUnits(plan: Plan, quantities: Record<string, unknown> | undefined): Map<number, Q> {
  const units = new Map<number, Q>();
  const given = quantities ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw invalidInput('quantities must be an object of feature id → number.');
  for (const [featureId, raw] of Object.entries(given)) {
    const q = parse(raw);
    if (q === null || isNeg(q)) throw invalidInput(`quantities.${featureId} must be a finite number ≥ 0; got ${shown(raw)}.`, { feature_id: featureId });
    const indexes = plan.items.flatMap((item, i) => (item.featureId === featureId && item.price?.billingMethod === 'prepaid' && !item.unlimited ? [i] : []));
    if (indexes.length === 0) {
      throw invalidInput(`Plan '${plan.id}' has no prepaid item for feature '${featureId}', so quantities.${featureId} cannot be used.`,
        { plan_id: plan.id, feature_id: featureId }, 'Only prepaid items take a quantity; remove it or change the item to billingMethod "prepaid".');
    }
    for (const i of indexes) {
      const item = plan.items[i];
      const price = item?.price;
      if (item === undefined || price == null) continue;
      const billingUnits = fromNumber(price.billingUnits);
      const packs = ceil(div(max(ZERO, sub(q, fromNumber(item.included))), billingUnits));
      const bought = mul(packs, billingUnits);
      if (price.maxPurchase !== null && cmp(bought, fromNumber(price.maxPurchase)) > 0) {
        throw invalidInput(`quantities.${featureId}: buying ${toNumber(bought)} units of '${featureId}' exceeds its maxPurchase of ${price.maxPurchase}.`,
          { plan_id: plan.id, feature_id: featureId, requested: toNumber(bought), max_purchase: price.maxPurchase });
      }
      units.set(i, bought);
    }
  }
  return units;
}

/** R7.2: the anchor, synchronised for entity-level attachments with a matching recurring price. */
function anchorFor(customer: CustomerRec, entity: EntityRec | null, recurring: AttachmentRec['recurring'], now: number): number {
  if (entity === null || recurring === null) return now;
  let best: AttachmentRec | null = null;
  for (const att of customer.attachments) {
    if (att.recurring === null || att.recurring.interval !== recurring.interval || att.recurring.count !== recurring.count) continue;
    if (best === null || att.attachedAt < best.attachedAt || (att.attachedAt === best.attachedAt && att.seq < best.seq)) best = att;
  }
  return best === null ? now : best.anchor;
}

export function attach(core: Core, req: AttachRequest): AttachResult {
  const customer = requireCustomer(core, req.customerId);
  if (typeof req.planId !== 'string' || req.planId === '') throw invalidInput(`plan_id must be a non-empty string; got ${shown(req.planId)}.`);
  const plan = ownEntry(core.catalog.plans, req.planId);
  if (plan === undefined) throw planNotFound(req.planId);
  const entity = req.entityId == null ? null : liveEntity(customer, req.entityId);
  if (plan.archived) throw invalidInput(`Plan '${plan.id}' is archived and cannot be attached.`, { plan_id: plan.id });
  if (customer.attachments.some((a) => a.plan.id === plan.id && a.entity === entity)) {
    throw invalidInput(`Plan '${plan.id}' is already attached to ${ownerName(customer, entity)}.`, { plan_id: plan.id, customer_id: customer.id, entity_id: entity?.id ?? null },
      'Detach it first, or attach another plan.');
  }
  plan.items.forEach((item, i) => {
    if (item.entityFeatureId === null) return;
    if (entity !== null) {
      throw invalidInput(`Plan '${plan.id}' has a per-entity item (items[${i}], '${item.featureId}' per '${item.entityFeatureId}'), so it cannot be attached to an entity.`,
        { plan_id: plan.id, entity_id: entity.id }, 'Attach it to the customer: every entity then gets its own slice.');
    }
    if (item.price?.billingMethod === 'prepaid') {
      throw invalidInput(`Plan '${plan.id}' has a prepaid per-entity item (items[${i}]), which this engine does not support.`,
        { plan_id: plan.id }, 'Make the per-entity item usage_based or free.');
    }
  });
  const units = prepaidUnits(plan, req.quantities);
  const now = customer.now;
  const lines: SeqLine[] = [];
  const ended: AttachmentInfo[] = [];
  if (plan.group !== null && !plan.addOn) {
    for (const old of [...customer.attachments]) {
      if (old.entity === entity && old.plan.group === plan.group && !old.plan.addOn) {
        lines.push(...endAttachment(core, customer, old));
        ended.push(attachmentInfo(old, customer));
      }
    }
  }
  const recurring = recurringOf(plan);
  const att: AttachmentRec = {
    id: `att_${++core.counters.attachment}`,
    seq: core.counters.attachment,
    plan,
    customer,
    entity,
    attachedAt: now,
    anchor: anchorFor(customer, entity, recurring, now),
    prepaidUnits: units,
    grants: [],
    flags: [],
    billing: [],
    recurring,
    recurringTimer: null,
  };
  plan.items.forEach((item, i) => {
    const feature = core.catalog.features[item.featureId];
    if (feature?.type === 'boolean') {
      att.flags.push(flagRec(att, i, item));
      return;
    }
    const grant = buildGrant(core, att, i, item);
    att.grants.push(grant);
    if (grant.group !== null) {
      for (const e of customer.entities.values()) if (e.featureId === item.entityFeatureId) addSlice(core, grant, e);
    }
  });
  att.billing = billingTimers(att, (f) => isNonConsumable(core.catalog.features[f]));
  att.recurringTimer = recurringTimer(att.billing);
  customer.attachments.push(att);
  entity?.attachments.push(att);
  customer.version++;
  if (entity === null) {
    const respread = new Set<string>();
    for (const g of att.grants) if (g.group === null && g.nonConsumable && isPosUsage(customer, g.featureId)) respread.add(g.featureId);
    for (const f of respread) respreadSeats(core, customer, f);
  }
  for (const l of attachLines(att)) lines.push({ seq: att.seq, line: l });
  return { attachment: attachmentInfo(att, customer), ended, invoice: makeInvoice(core, customer, lines) };
}

const isPosUsage = (customer: CustomerRec, featureId: string): boolean => cmp(seatUsage(customer, featureId), ZERO) > 0;

/** R6.4 at the customer's clock: arrears of the partial period, balances removed, seats spread again. */
export function endAttachment(core: Core, customer: CustomerRec, att: AttachmentRec): SeqLine[] {
  const t = customer.now;
  const lines: SeqLine[] = [];
  for (const b of att.billing) {
    if ((b.kind === 'usage' || b.kind === 'seats') && b.timer.periodStart !== t) {
      const l = arrearLine(att, b, b.timer.periodStart, t);
      if (l !== null) lines.push({ seq: att.seq, line: l });
    }
  }
  customer.attachments = customer.attachments.filter((a) => a !== att);
  if (att.entity !== null) att.entity.attachments = att.entity.attachments.filter((a) => a !== att);
  const respread = new Set<string>();
  for (const g of att.grants) {
    if (g.group !== null) {
      // The whole group goes at once: no per-slice bookkeeping needed.
      for (const s of g.group.slices) {
        const e = s.entity as EntityRec;
        e.slices = e.slices.filter((c) => c !== s);
      }
      g.group.slices = [];
    } else if (att.entity === null && g.nonConsumable) respread.add(g.featureId);
  }
  customer.version++;
  for (const f of respread) respreadSeats(core, customer, f);
  return lines;
}

export function detach(core: Core, req: DetachRequest): DetachResult {
  const customer = requireCustomer(core, req.customerId);
  const entity = req.entityId == null ? null : liveEntity(customer, req.entityId);
  const att = customer.attachments.find((a) => a.plan.id === req.planId && a.entity === entity);
  if (att === undefined) {
    throw invalidInput(`Plan '${String(req.planId)}' is not attached to ${ownerName(customer, entity)}, so it cannot be detached.`,
      { plan_id: req.planId, customer_id: customer.id, entity_id: entity?.id ?? null });
  }
  const info = attachmentInfo(att, customer);
  const lines = endAttachment(core, customer, att);
  return { ended: info, invoice: makeInvoice(core, customer, lines) };
}

export function attachmentInfo(att: AttachmentRec, customer: CustomerRec): AttachmentInfo {
  const prepaid: Record<string, number> = {};
  for (const [i, q] of att.prepaidUnits) {
    const f = att.plan.items[i]?.featureId;
    if (f !== undefined) prepaid[f] = toNumber(q);
  }
  const timer = att.recurringTimer;
  return {
    id: att.id,
    plan_id: att.plan.id,
    customer_id: customer.id,
    entity_id: att.entity?.id ?? null,
    scope: att.entity === null ? 'customer' : 'entity',
    add_on: att.plan.addOn,
    auto_enable: att.plan.autoEnable,
    group: att.plan.group,
    attached_at: att.attachedAt,
    seq: att.seq,
    anchor: att.anchor,
    current_period_start: timer === null ? null : timer.periodStart,
    current_period_end: timer === null ? null : timer.at,
    prepaid,
  };
}
