/** Turning a plan's items into grants, balances and slices (R1.6, R2.2–R2.5, R3.6, R3.7). */
import type { Feature, Item } from '../catalog/schema.ts';
import { boundary, firstBoundaryAfter, isIntervalUnit, nominalMinutes, type IntervalUnit } from './calendar.ts';
import { nextBalanceId, type Core } from './core.ts';
import { add, fromNumber, type Q } from './decimal.ts';
import type { AttachmentRec, Cell, EntityRec, FlagRec, Grant, SliceGroup, Timer } from './model.ts';
import type { BillingKind } from './types.ts';
import { insertSlice } from './walk.ts';

export function isNonConsumable(feature: Feature | undefined): boolean {
  return feature !== undefined && feature.type === 'metered' && !feature.consumable;
}

/** R2.3: the reset interval of an item, or null for a lifetime balance. */
function effectiveReset(feature: Feature | undefined, item: Item): { interval: IntervalUnit; count: number } | null {
  if (feature === undefined || feature.type === 'boolean' || isNonConsumable(feature)) return null;
  if (item.reset !== null) {
    return isIntervalUnit(item.reset.interval) ? { interval: item.reset.interval, count: item.reset.intervalCount } : null;
  }
  const price = item.price;
  if (price !== null && !item.unlimited && isIntervalUnit(price.interval)) return { interval: price.interval, count: price.intervalCount };
  return null;
}

export function billingOf(item: Item): BillingKind {
  if (item.price === null || item.unlimited) return 'free';
  return item.price.billingMethod;
}

/** A timer whose first boundary is the first one after `from` (the attach instant). */
export function makeTimer(anchor: number, interval: IntervalUnit, count: number, from: number): Timer {
  const k = firstBoundaryAfter(anchor, interval, count, from);
  return { anchor, interval, count, k, at: boundary(anchor, interval, count, k), periodStart: from };
}

/** Moves a timer to its first boundary strictly after `t`. */
export function timerPast(timer: Timer, t: number): void {
  const k = firstBoundaryAfter(timer.anchor, timer.interval, timer.count, t);
  timer.periodStart = boundary(timer.anchor, timer.interval, timer.count, k - 1);
  timer.k = k;
  timer.at = boundary(timer.anchor, timer.interval, timer.count, k);
}

/** Moves a timer one boundary on. */
export function timerStep(timer: Timer): void {
  timer.periodStart = timer.at;
  timer.k += 1;
  timer.at = boundary(timer.anchor, timer.interval, timer.count, timer.k);
}

/** The record of a boolean item: a flag, no balance. */
export function flagRec(att: AttachmentRec, itemIndex: number, item: Item): FlagRec {
  return { attachment: att, itemIndex, featureId: item.featureId, entityFeatureId: item.entityFeatureId, id: `${att.id}:${itemIndex}` };
}

/** The grant of a non-boolean item; its pool/entity cell or empty slice group is created too. */
export function buildGrant(core: Core, att: AttachmentRec, itemIndex: number, item: Item): Grant {
  const feature = core.catalog.features[item.featureId];
  const reset = effectiveReset(feature, item);
  const included: Q = item.unlimited ? 0 : fromNumber(item.included);
  const prepaid: Q = att.prepaidUnits.get(itemIndex) ?? 0;
  const billing = billingOf(item);
  const grant: Grant = {
    attachment: att,
    itemIndex,
    item,
    featureId: item.featureId,
    scope: att.entity === null ? 'customer' : 'entity',
    entityFeatureId: item.entityFeatureId,
    billing,
    unlimited: item.unlimited,
    nonConsumable: isNonConsumable(feature),
    included,
    prepaid,
    granted: add(included, prepaid),
    maxPurchase: item.price?.maxPurchase === null || item.price?.maxPurchase === undefined || item.unlimited
      ? null : fromNumber(item.price.maxPurchase),
    reset: reset === null ? null : Object.freeze({ interval: reset.interval, interval_count: reset.count }),
    resetTimer: reset === null ? null : makeTimer(att.anchor, reset.interval, reset.count, att.attachedAt),
    rollover: feature !== undefined && !isNonConsumable(feature) ? item.rollover : null,
    cell: null,
    group: null,
    rank: {
      lifetime: reset === null ? 1 : 0,
      periodMinutes: reset === null ? 0 : nominalMinutes(reset.interval, reset.count),
      addOn: att.plan.addOn ? 1 : 0,
      usageBased: billing === 'usage_based' ? 1 : 0,
      attachedAt: att.attachedAt,
      attachSeq: att.seq,
      itemIndex,
    },
  };
  if (item.entityFeatureId !== null && att.entity === null) {
    const group: SliceGroup = { grant, slices: [], posCursor: 0, floorCursor: 0, notFullCursor: 0, negCount: 0 };
    grant.group = group;
  } else {
    grant.cell = newCell(core, grant, att.entity, grant.granted);
  }
  return grant;
}

function newCell(core: Core, grant: Grant, entity: EntityRec | null, balance: Q): Cell {
  const { id, seq } = nextBalanceId(core);
  return { id, seq, grant, entity, balance, counter: 0, rollovers: null, pos: 0 };
}

/** R3.6: a fresh slice for `entity` in a per-entity grant. */
export function addSlice(core: Core, grant: Grant, entity: EntityRec): Cell {
  const cell = newCell(core, grant, entity, grant.included);
  insertSlice(grant.group as SliceGroup, cell, core.entityOrder);
  // Exact-size arrays: most entities hold one or two slices, and there may be 100,000 entities.
  entity.slices = entity.slices.length === 0 ? [cell] : [...entity.slices, cell];
  return cell;
}
