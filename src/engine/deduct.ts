/**
 * Deduction and refund passes (R5.7–R5.12). Every change is journaled as a Touch so that a
 * refused track can be rolled back exactly and the response can list its deductions.
 * `ctx.need` is in units of the tracked feature X; a credit-system balance converts through
 * its cost (R5.12), keeping the exact quotient.
 */
import { add, cmp, div, isNeg, isPos, mul, neg, sub, type Q } from './decimal.ts';
import type { Cell, CustomerWalk, EntityWalk, RolloverRec, SliceGroup, WalkEntry } from './model.ts';
import { setBalance, setRollover } from './walk.ts';

export interface Touch {
  cell: Cell;
  roll: RolloverRec | null;
  /** In the cell's units: positive taken, negative restored. */
  amount: Q;
  /** The unlimited usage counter moved (R5.10). */
  counter: boolean;
  entry: WalkEntry;
}

export interface Ctx {
  need: Q;
  /** Touch records; only the first `count` belong to this walk (the array is reused between tracks). */
  touches: Touch[];
  count: number;
}

/** Journals one change, reusing a Touch record left by an earlier walk when there is one. */
export function record(ctx: Ctx, cell: Cell, roll: RolloverRec | null, amount: Q, counter: boolean, entry: WalkEntry): void {
  const i = ctx.count++;
  const t = ctx.touches[i];
  if (t === undefined) ctx.touches.push({ cell, roll, amount, counter, entry });
  else {
    t.cell = cell;
    t.roll = roll;
    t.amount = amount;
    t.counter = counter;
    t.entry = entry;
  }
}

/** Tracks run one at a time and their touches are read before the next starts, so one journal serves them all. */
const shared: Ctx = { need: 0, touches: [], count: 0 };

function start(value: Q): Ctx {
  shared.need = isNeg(value) ? neg(value) : value;
  shared.count = 0;
  return shared;
}

/** The part of `avail` (> 0, cell units) that ctx.need calls for; ctx.need drops by what it covers. */
function portion(ctx: Ctx, entry: WalkEntry, avail: Q): Q {
  if (entry.isOwn) {
    if (cmp(avail, ctx.need) >= 0) {
      const t = ctx.need;
      ctx.need = 0;
      return t;
    }
    ctx.need = sub(ctx.need, avail);
    return avail;
  }
  const needC = mul(ctx.need, entry.cost);
  if (cmp(avail, needC) >= 0) {
    ctx.need = 0;
    return needC;
  }
  ctx.need = sub(ctx.need, div(avail, entry.cost));
  return avail;
}

/** Take up to `avail` (> 0, cell units) from the cell or one of its rollovers. */
export function takeFrom(ctx: Ctx, entry: WalkEntry, cell: Cell, roll: RolloverRec | null, avail: Q): void {
  const t = portion(ctx, entry, avail);
  if (roll === null) setBalance(cell, sub(cell.balance, t));
  else setRollover(cell, roll, sub(roll.balance, t));
  record(ctx, cell, roll, t, false, entry);
}

function takeAll(ctx: Ctx, entry: WalkEntry, cell: Cell): void {
  const t = entry.isOwn ? ctx.need : mul(ctx.need, entry.cost);
  ctx.need = 0;
  setBalance(cell, sub(cell.balance, t));
  record(ctx, cell, null, t, false, entry);
}

/** Raise the cell or a rollover by up to `room` (> 0, cell units); ctx.need is what is left to restore. */
function raise(ctx: Ctx, entry: WalkEntry, cell: Cell, roll: RolloverRec | null, room: Q): void {
  const t = portion(ctx, entry, room);
  if (roll === null) setBalance(cell, add(cell.balance, t));
  else setRollover(cell, roll, add(roll.balance, t));
  record(ctx, cell, roll, neg(t), false, entry);
}

export function rollback(touches: Touch[], count: number = touches.length): void {
  for (let i = count - 1; i >= 0; i--) {
    const t = touches[i] as Touch;
    if (t.counter) t.cell.counter = sub(t.cell.counter, t.amount);
    else if (t.roll !== null) setRollover(t.cell, t.roll, add(t.roll.balance, t.amount));
    else setBalance(t.cell, add(t.cell.balance, t.amount));
  }
}

function hasPositive(cell: Cell): boolean {
  if (isPos(cell.balance)) return true;
  const rolls = cell.rollovers;
  if (rolls !== null) for (const r of rolls) if (isPos(r.balance)) return true;
  return false;
}

// ---------------------------------------------------------------- pass 1 (R5.7) and R5.6

export function pass1Cell(ctx: Ctx, entry: WalkEntry, cell: Cell): void {
  const rolls = cell.rollovers;
  if (rolls !== null) {
    for (const r of rolls) {
      if (ctx.need === 0) return;
      if (isPos(r.balance)) takeFrom(ctx, entry, cell, r, r.balance);
    }
  }
  if (ctx.need !== 0 && isPos(cell.balance)) takeFrom(ctx, entry, cell, null, cell.balance);
}

/** Slices in entity order, each drained before the next; drained slices are skipped for good. */
function pass1Group(ctx: Ctx, entry: WalkEntry, group: SliceGroup): void {
  const slices = group.slices;
  for (let i = group.posCursor; i < slices.length; i++) {
    const s = slices[i] as Cell;
    pass1Cell(ctx, entry, s);
    if (i === group.posCursor && !hasPositive(s)) group.posCursor = i + 1;
    if (ctx.need === 0) return;
  }
}

// ---------------------------------------------------------------- pass 2 (R5.8)

function billable(ctx: Ctx, entry: WalkEntry, cell: Cell): void {
  const maxPurchase = entry.grant.maxPurchase;
  if (maxPurchase === null) takeAll(ctx, entry, cell);
  else {
    const room = add(cell.balance, maxPurchase);
    if (isPos(room)) takeFrom(ctx, entry, cell, null, room);
  }
}

function billableGroup(ctx: Ctx, entry: WalkEntry, group: SliceGroup): void {
  const slices = group.slices;
  if (entry.grant.maxPurchase === null) {
    const first = slices[0];
    if (first !== undefined) takeAll(ctx, entry, first);
    return;
  }
  const maxPurchase = entry.grant.maxPurchase;
  for (let i = group.floorCursor; i < slices.length; i++) {
    const s = slices[i] as Cell;
    billable(ctx, entry, s);
    if (i === group.floorCursor && !isPos(add(s.balance, maxPurchase))) group.floorCursor = i + 1;
    if (ctx.need === 0) return;
  }
}

const isBillable = (e: WalkEntry): boolean => e.grant.billing === 'usage_based' && !e.grant.unlimited;
const isSoft = (e: WalkEntry): boolean => e.grant.billing === 'free' && e.grant.nonConsumable && !e.grant.unlimited;

// ---------------------------------------------------------------- refunds (R5.11)

function refundNegative(ctx: Ctx, entry: WalkEntry, cell: Cell): void {
  if (isNeg(cell.balance)) raise(ctx, entry, cell, null, neg(cell.balance));
}

function refundNegativeGroup(ctx: Ctx, entry: WalkEntry, group: SliceGroup): void {
  if (group.negCount === 0) return;
  for (const s of group.slices) {
    refundNegative(ctx, entry, s);
    if (ctx.need === 0) return;
  }
}

function refundUp(ctx: Ctx, entry: WalkEntry, cell: Cell): void {
  const rolls = cell.rollovers;
  if (rolls !== null) {
    for (const r of rolls) {
      if (ctx.need === 0) return;
      const room = sub(r.granted, r.balance);
      if (isPos(room)) raise(ctx, entry, cell, r, room);
    }
  }
  if (ctx.need === 0) return;
  const room = sub(entry.grant.granted, cell.balance);
  if (isPos(room)) raise(ctx, entry, cell, null, room);
}

function isFull(cell: Cell): boolean {
  if (cmp(cell.balance, cell.grant.granted) < 0) return false;
  const rolls = cell.rollovers;
  if (rolls !== null) for (const r of rolls) if (cmp(r.balance, r.granted) < 0) return false;
  return true;
}

function refundUpGroup(ctx: Ctx, entry: WalkEntry, group: SliceGroup): void {
  const slices = group.slices;
  for (let i = group.notFullCursor; i < slices.length; i++) {
    const s = slices[i] as Cell;
    refundUp(ctx, entry, s);
    if (i === group.notFullCursor && isFull(s)) group.notFullCursor = i + 1;
    if (ctx.need === 0) return;
  }
}

// ---------------------------------------------------------------- unlimited (R5.10)

function absorb(ctx: Ctx, entry: WalkEntry, cell: Cell, value: Q): void {
  const amount = entry.isOwn ? value : mul(value, entry.cost);
  cell.counter = add(cell.counter, amount);
  ctx.need = 0;
  record(ctx, cell, null, amount, true, entry);
}

function firstUnlimitedCustomer(walk: CustomerWalk): { entry: WalkEntry; cell: Cell } | null {
  for (const e of walk.pool) if (e.grant.unlimited && e.grant.cell !== null) return { entry: e, cell: e.grant.cell };
  for (const e of walk.sources) {
    const first = e.grant.group?.slices[0];
    if (e.grant.unlimited && first !== undefined) return { entry: e, cell: first };
  }
  return null;
}

function firstUnlimitedEntity(walk: EntityWalk): { entry: WalkEntry; cell: Cell } | null {
  for (const o of walk.own) if (o.entry.grant.unlimited) return o;
  for (const e of walk.pool) if (e.grant.unlimited && e.grant.cell !== null) return { entry: e, cell: e.grant.cell };
  return null;
}

// ---------------------------------------------------------------- whole walks

/**
 * Deducts `value` (units of X; negative = refund) along a customer-level walk. Returns the
 * touches; `ctx.need` is what could not be placed (in units of X, ≥ 0).
 */
export function walkCustomer(walk: CustomerWalk, value: Q, cap: boolean): Ctx {
  const ctx = start(value);
  if (ctx.need === 0) return ctx;
  if (walk.hasUnlimited) {
    const u = firstUnlimitedCustomer(walk);
    if (u !== null) {
      absorb(ctx, u.entry, u.cell, value);
      return ctx;
    }
  }
  const pool = walk.pool;
  const sources = walk.sources;
  if (!isNeg(value)) {
    for (const e of pool) if (!e.grant.unlimited && e.grant.cell !== null) { pass1Cell(ctx, e, e.grant.cell); if (ctx.need === 0) return ctx; }
    for (const e of sources) if (!e.grant.unlimited) { pass1Group(ctx, e, e.grant.group as SliceGroup); if (ctx.need === 0) return ctx; }
    for (const e of pool) if (isBillable(e)) { billable(ctx, e, e.grant.cell as Cell); if (ctx.need === 0) return ctx; }
    for (const e of sources) if (isBillable(e)) { billableGroup(ctx, e, e.grant.group as SliceGroup); if (ctx.need === 0) return ctx; }
    if (cap) {
      for (const e of pool) if (isSoft(e)) { takeAll(ctx, e, e.grant.cell as Cell); return ctx; }
      for (const e of sources) {
        const first = e.grant.group?.slices[0];
        if (isSoft(e) && first !== undefined) { takeAll(ctx, e, first); return ctx; }
      }
    }
    return ctx;
  }
  for (const usageFirst of [true, false]) {
    for (const e of pool) if (isBillable(e) === usageFirst && !e.grant.unlimited) { refundNegative(ctx, e, e.grant.cell as Cell); if (ctx.need === 0) return ctx; }
    for (const e of sources) if (isBillable(e) === usageFirst && !e.grant.unlimited) { refundNegativeGroup(ctx, e, e.grant.group as SliceGroup); if (ctx.need === 0) return ctx; }
  }
  for (const e of pool) if (!e.grant.unlimited) { refundUp(ctx, e, e.grant.cell as Cell); if (ctx.need === 0) return ctx; }
  for (const e of sources) if (!e.grant.unlimited) { refundUpGroup(ctx, e, e.grant.group as SliceGroup); if (ctx.need === 0) return ctx; }
  return ctx;
}

/**
 * An entity-level deduction (positive value) when the entity has exactly one own cell and no
 * unlimited candidate: the same passes as walkEntity, without the walk object.
 */
export function walkEntityFast(cell: Cell, entry: WalkEntry, pool: WalkEntry[], value: Q, cap: boolean): Ctx {
  const ctx = start(value);
  if (ctx.need === 0) return ctx;
  pass1Cell(ctx, entry, cell);
  if (ctx.need === 0) return ctx;
  for (const e of pool) { pass1Cell(ctx, e, e.grant.cell as Cell); if (ctx.need === 0) return ctx; }
  if (isBillable(entry)) { billable(ctx, entry, cell); if (ctx.need === 0) return ctx; }
  for (const e of pool) if (isBillable(e)) { billable(ctx, e, e.grant.cell as Cell); if (ctx.need === 0) return ctx; }
  if (cap) {
    if (isSoft(entry)) { takeAll(ctx, entry, cell); return ctx; }
    for (const e of pool) if (isSoft(e)) { takeAll(ctx, e, e.grant.cell as Cell); return ctx; }
  }
  return ctx;
}

/** The same for an entity-level walk: the entity's own cells, then the pool (R5.4). */
export function walkEntity(walk: EntityWalk, value: Q, cap: boolean): Ctx {
  const ctx = start(value);
  if (ctx.need === 0) return ctx;
  if (walk.hasUnlimited) {
    const u = firstUnlimitedEntity(walk);
    if (u !== null) {
      absorb(ctx, u.entry, u.cell, value);
      return ctx;
    }
  }
  const own = walk.own;
  const pool = walk.pool;
  if (!isNeg(value)) {
    if (own.length === 1) {
      const entry = walk.entry0 as WalkEntry;
      if (!entry.grant.unlimited) { pass1Cell(ctx, entry, walk.cell0 as Cell); if (ctx.need === 0) return ctx; }
    } else for (const o of own) if (!o.entry.grant.unlimited) { pass1Cell(ctx, o.entry, o.cell); if (ctx.need === 0) return ctx; }
    for (const e of pool) if (!e.grant.unlimited && e.grant.cell !== null) { pass1Cell(ctx, e, e.grant.cell); if (ctx.need === 0) return ctx; }
    for (const o of own) if (isBillable(o.entry)) { billable(ctx, o.entry, o.cell); if (ctx.need === 0) return ctx; }
    for (const e of pool) if (isBillable(e)) { billable(ctx, e, e.grant.cell as Cell); if (ctx.need === 0) return ctx; }
    if (cap) {
      for (const o of own) if (isSoft(o.entry)) { takeAll(ctx, o.entry, o.cell); return ctx; }
      for (const e of pool) if (isSoft(e)) { takeAll(ctx, e, e.grant.cell as Cell); return ctx; }
    }
    return ctx;
  }
  for (const usageFirst of [true, false]) {
    for (const o of own) if (isBillable(o.entry) === usageFirst && !o.entry.grant.unlimited) { refundNegative(ctx, o.entry, o.cell); if (ctx.need === 0) return ctx; }
    for (const e of pool) if (isBillable(e) === usageFirst && !e.grant.unlimited) { refundNegative(ctx, e, e.grant.cell as Cell); if (ctx.need === 0) return ctx; }
  }
  for (const o of own) if (!o.entry.grant.unlimited) { refundUp(ctx, o.entry, o.cell); if (ctx.need === 0) return ctx; }
  for (const e of pool) if (!e.grant.unlimited) { refundUp(ctx, e, e.grant.cell as Cell); if (ctx.need === 0) return ctx; }
  return ctx;
}
