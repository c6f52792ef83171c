/**
 * Walk order (R5.3–R5.6, R5.13): which grants a check or track of feature X may use, in which
 * order, and the slice groups that keep per-entity slices in entity order. Walk lists are
 * cached per customer and per entity and rebuilt when the customer's attachments change.
 */
import { compareIds } from '../catalog/order.ts';
import type { Catalog } from '../catalog/schema.ts';
import { fromNumber, isNeg, lt, ONE, type Q } from './decimal.ts';
import type { Cell, CustomerRec, CustomerWalk, EntityRec, EntityWalk, Grant, RolloverRec, SliceGroup, WalkEntry } from './model.ts';
import type { EntityOrder } from './types.ts';

export interface CreditLink {
  creditSystemId: string;
  cost: Q;
}

const creditCache = new WeakMap<Catalog, Map<string, CreditLink[]>>();

/** The credit systems containing X, in ascending feature id (R2.1). */
export function creditSystemsFor(catalog: Catalog, featureId: string): CreditLink[] {
  let byFeature = creditCache.get(catalog);
  if (byFeature === undefined) {
    byFeature = new Map();
    creditCache.set(catalog, byFeature);
  }
  let links = byFeature.get(featureId);
  if (links === undefined) {
    links = [];
    for (const id of Object.keys(catalog.features).sort(compareIds)) {
      const f = catalog.features[id];
      if (f === undefined || f.type !== 'credit_system') continue;
      const entry = f.creditSchema.find((c) => c.meteredFeatureId === featureId);
      if (entry !== undefined && entry.creditCost > 0) links.push({ creditSystemId: id, cost: fromNumber(entry.creditCost) });
    }
    byFeature.set(featureId, links);
  }
  return links;
}

/** R5.5 keys 2–8 (key 1, the feature rank, is handled by the caller). */
export function compareGrants(a: Grant, b: Grant): number {
  const x = a.rank;
  const y = b.rank;
  return x.lifetime - y.lifetime || x.periodMinutes - y.periodMinutes || x.addOn - y.addOn ||
    x.usageBased - y.usageBased || x.attachedAt - y.attachedAt || x.attachSeq - y.attachSeq || x.itemIndex - y.itemIndex;
}

function entryFor(grant: Grant, featureId: string, links: CreditLink[]): { entry: WalkEntry; rank: number } | null {
  if (grant.featureId === featureId) return { entry: { grant, cost: ONE, isOwn: true }, rank: 0 };
  const i = links.findIndex((l) => l.creditSystemId === grant.featureId);
  if (i < 0) return null;
  return { entry: { grant, cost: (links[i] as CreditLink).cost, isOwn: false }, rank: i + 1 };
}

function sortEntries(list: { entry: WalkEntry; rank: number }[]): WalkEntry[] {
  list.sort((a, b) => a.rank - b.rank || compareGrants(a.entry.grant, b.entry.grant));
  return list.map((x) => x.entry);
}

/** The customer-level walk of X: pool grants, then per-entity sources (R5.4). Entity-attached grants never take part. */
export function customerWalk(catalog: Catalog, customer: CustomerRec, featureId: string): CustomerWalk {
  const cached = customer.walks.get(featureId);
  if (cached !== undefined && cached.version === customer.version) return cached;
  const links = creditSystemsFor(catalog, featureId);
  const pool: { entry: WalkEntry; rank: number }[] = [];
  const sources: { entry: WalkEntry; rank: number }[] = [];
  let hasUnlimited = false;
  for (const att of customer.attachments) {
    if (att.entity !== null) continue;
    for (const grant of att.grants) {
      const e = entryFor(grant, featureId, links);
      if (e === null) continue;
      if (grant.unlimited) hasUnlimited = true;
      (grant.group === null ? pool : sources).push(e);
    }
  }
  const walk: CustomerWalk = { version: customer.version, pool: sortEntries(pool), sources: sortEntries(sources), hasUnlimited };
  customer.walks.set(featureId, walk);
  return walk;
}

/**
 * Sets the entity's inline walk (EntityRec.fast*) for X without building a walk object when
 * the entity holds exactly one slice, no plan of its own, and nothing unlimited is involved —
 * the common case, and the one a first track on each of 100,000 entities hits. Returns false
 * when the full walk is needed.
 */
export function fastEntityWalk(catalog: Catalog, entity: EntityRec, featureId: string): boolean {
  if (entity.attachments.length !== 0 || entity.slices.length !== 1) return false;
  const cell = entity.slices[0] as Cell;
  if (cell.grant.unlimited) return false;
  const cw = customerWalk(catalog, entity.customer, featureId);
  if (cw.hasUnlimited) return false;
  let entry: WalkEntry | null = null;
  for (const e of cw.sources) if (e.grant === cell.grant) entry = e;
  if (entry === null) return false;
  entity.fastFeature = featureId;
  entity.fastVersion = cw.version;
  entity.fastCell = cell;
  entity.fastEntry = entry;
  entity.fastPool = cw.pool;
  return true;
}

/** The walk of X for entity e: e's slices and entity-attached balances (tier 1), then the pool (tier 2). */
export function entityWalk(catalog: Catalog, entity: EntityRec, featureId: string): EntityWalk {
  const customer = entity.customer;
  const last = entity.lastWalk;
  if (last !== null && last.featureId === featureId && last.version === customer.version) return last;
  // Walks of other features are kept in a map, created only when a second feature is tracked.
  if (last !== null && last.featureId !== featureId && last.version === customer.version) {
    if (entity.walkCache === null) entity.walkCache = new Map();
    entity.walkCache.set(last.featureId, last);
  }
  const cached = entity.walkCache?.get(featureId);
  if (cached !== undefined && cached.version === customer.version) {
    entity.lastWalk = cached;
    return cached;
  }
  const links = creditSystemsFor(catalog, featureId);
  const own: { entry: WalkEntry; rank: number; cell: Cell }[] = [];
  let hasUnlimited = false;
  const consider = (cell: Cell) => {
    const e = entryFor(cell.grant, featureId, links);
    if (e === null) return;
    if (cell.grant.unlimited) hasUnlimited = true;
    own.push({ ...e, cell });
  };
  for (const cell of entity.slices) consider(cell);
  for (const att of entity.attachments) for (const grant of att.grants) if (grant.cell !== null) consider(grant.cell);
  own.sort((a, b) => a.rank - b.rank || compareGrants(a.entry.grant, b.entry.grant));
  const cw = customerWalk(catalog, customer, featureId);
  if (cw.pool.some((e) => e.grant.unlimited)) hasUnlimited = true;
  const list = own.map(({ cell, entry }) => ({ cell, entry }));
  const walk: EntityWalk = {
    version: customer.version, featureId, own: list, cell0: list[0]?.cell ?? null, entry0: list[0]?.entry ?? null, pool: cw.pool, hasUnlimited,
  };
  if (list.length === 1 && !hasUnlimited) {
    // Tracks use the inline copy; the walk object itself is not kept (100,000 entities × a walk adds up).
    entity.fastFeature = featureId;
    entity.fastVersion = walk.version;
    entity.fastCell = walk.cell0;
    entity.fastEntry = walk.entry0;
    entity.fastPool = walk.pool;
  } else entity.lastWalk = walk;
  return walk;
}

// ---------------------------------------------------------------- slice groups

/** Entity order (R5.13): ascending id, or creation sequence. */
export function compareEntities(order: EntityOrder, a: EntityRec, b: EntityRec): number {
  return order === 'id' ? compareIds(a.id, b.id) : a.seq - b.seq;
}

function entityBefore(order: EntityOrder, a: EntityRec, b: EntityRec): boolean {
  return compareEntities(order, a, b) < 0;
}

/** Puts a new slice in its group at its entity-order position. */
export function insertSlice(group: SliceGroup, cell: Cell, order: EntityOrder): void {
  const slices = group.slices;
  const entity = cell.entity as EntityRec;
  const last = slices[slices.length - 1];
  let at = slices.length;
  if (last !== undefined && !entityBefore(order, last.entity as EntityRec, entity)) {
    let lo = 0;
    let hi = slices.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entityBefore(order, (slices[mid] as Cell).entity as EntityRec, entity)) lo = mid + 1;
      else hi = mid;
    }
    at = lo;
  }
  if (at === slices.length) {
    cell.pos = at;
    slices.push(cell);
  } else {
    slices.splice(at, 0, cell);
    for (let i = at; i < slices.length; i++) (slices[i] as Cell).pos = i;
  }
  if (isNeg(cell.balance)) group.negCount++;
  // A fresh slice may have balance and room: the cursors must not skip it.
  if (at < group.posCursor) group.posCursor = at;
  if (at < group.floorCursor) group.floorCursor = at;
  if (at < group.notFullCursor) group.notFullCursor = at;
}

export function removeSlice(group: SliceGroup, cell: Cell): void {
  const at = cell.pos;
  group.slices.splice(at, 1);
  for (let i = at; i < group.slices.length; i++) (group.slices[i] as Cell).pos = i;
  if (isNeg(cell.balance)) group.negCount--;
  if (at < group.posCursor) group.posCursor--;
  if (at < group.floorCursor) group.floorCursor--;
  if (at < group.notFullCursor) group.notFullCursor--;
}

/** Every balance change goes through here so that slice cursors stay valid lower bounds. */
export function setBalance(cell: Cell, next: Q): void {
  const prev = cell.balance;
  cell.balance = next;
  const group = cell.grant.group;
  if (group === null) return;
  const wasNeg = isNeg(prev);
  const nowNeg = isNeg(next);
  if (wasNeg !== nowNeg) group.negCount += nowNeg ? 1 : -1;
  if (lt(next, prev)) {
    if (cell.pos < group.notFullCursor) group.notFullCursor = cell.pos;
  } else {
    if (cell.pos < group.posCursor) group.posCursor = cell.pos;
    if (cell.pos < group.floorCursor) group.floorCursor = cell.pos;
  }
}

export function setRollover(cell: Cell, roll: RolloverRec, next: Q): void {
  const prev = roll.balance;
  roll.balance = next;
  const group = cell.grant.group;
  if (group === null) return;
  if (lt(next, prev)) {
    if (cell.pos < group.notFullCursor) group.notFullCursor = cell.pos;
  } else if (cell.pos < group.posCursor) group.posCursor = cell.pos;
}

/** After a bulk change to a group (reset, restore), every cursor starts over. */
export function resetCursors(group: SliceGroup): void {
  group.posCursor = 0;
  group.floorCursor = 0;
  group.notFullCursor = 0;
  let neg = 0;
  for (const s of group.slices) if (isNeg(s.balance)) neg++;
  group.negCount = neg;
}
