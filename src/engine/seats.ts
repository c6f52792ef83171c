/** Seat accounting (R3.4, R3.5, R3.7, R6.4 step 3): usage of an entity feature counted once, spread in walk order. */
import type { Core } from './core.ts';
import { add, fromInt, isNeg, isPos, ONE, sub, toNumber, type Q } from './decimal.ts';
import { pass1Cell, record, takeFrom, walkCustomer, type Ctx, type Touch } from './deduct.ts';
import type { Cell, CustomerRec, WalkEntry } from './model.ts';
import type { SeatWarning } from './types.ts';
import { customerWalk, setBalance } from './walk.ts';

/** The customer-owned balances of F that seat accounting uses, in walk order. */
export function seatEntries(core: Core, customer: CustomerRec, featureId: string): WalkEntry[] {
  return customerWalk(core.catalog, customer, featureId).pool.filter((e) => e.isOwn);
}

/** U(F) = live entities of F + net units tracked directly on F (R3.4). */
export function seatUsage(customer: CustomerRec, featureId: string): Q {
  return add(fromInt(customer.liveCount.get(featureId) ?? 0), customer.seatTracked.get(featureId) ?? 0);
}

function take(ctx: Ctx, entry: WalkEntry, cell: Cell, floor: Q | null): void {
  if (floor === null) {
    const t = ctx.need;
    ctx.need = 0;
    setBalance(cell, sub(cell.balance, t));
    record(ctx, cell, null, t, false, entry);
    return;
  }
  const room = sub(cell.balance, floor);
  if (isPos(room)) takeFrom(ctx, entry, cell, null, room);
}

/** The seat floor of R3.4: granted − (included + maxPurchase) when the price caps purchases. */
function seatFloor(entry: WalkEntry): Q | null {
  const g = entry.grant;
  return g.maxPurchase === null ? null : sub(g.granted, add(g.included, g.maxPurchase));
}

/**
 * Places `need` seats on the F balances with the two passes of R3.4. Returns what could not
 * be placed (0 unless every balance has a floor). Touches go to `touches` for a rollback.
 */
export function placeSeats(entries: WalkEntry[], need: Q, touches: Touch[], ignoreFloors: boolean): Q {
  const ctx: Ctx = { need, touches, count: touches.length };
  if (entries.length === 0 || !isPos(need)) return 0;
  const unlimited = entries.find((e) => e.grant.unlimited);
  if (unlimited !== undefined) {
    const cell = unlimited.grant.cell as Cell;
    cell.counter = add(cell.counter, need);
    touches.push({ cell, roll: null, amount: need, counter: true, entry: unlimited });
    return 0;
  }
  for (const e of entries) {
    pass1Cell(ctx, e, e.grant.cell as Cell);
    if (ctx.need === 0) return 0;
  }
  for (const usageBased of [true, false]) {
    for (const e of entries) {
      if ((e.grant.billing === 'usage_based') !== usageBased) continue;
      take(ctx, e, e.grant.cell as Cell, ignoreFloors ? null : seatFloor(e));
      if (ctx.need === 0) return 0;
    }
  }
  return ctx.need;
}

/** Σ (included + maxPurchase) when every F balance caps purchases (R3.5). */
export function seatLimit(entries: WalkEntry[]): Q {
  let limit: Q = 0;
  for (const e of entries) limit = add(limit, add(e.grant.included, e.grant.maxPurchase ?? 0));
  return limit;
}

/** R3.8 step 1: one seat given back with the refund passes of R5.11. */
export function releaseSeat(core: Core, customer: CustomerRec, featureId: string): void {
  const entries = seatEntries(core, customer, featureId);
  if (entries.length === 0) return;
  walkCustomer({ version: 0, pool: entries, sources: [], hasUnlimited: entries.some((e) => e.grant.unlimited) }, sub(0, ONE), true);
}

/** R3.7 / R6.4 step 3: every customer-owned F balance back to granted, then U(F) spread without floors. */
export function respreadSeats(core: Core, customer: CustomerRec, featureId: string): void {
  const entries = seatEntries(core, customer, featureId);
  for (const e of entries) {
    const cell = e.grant.cell as Cell;
    setBalance(cell, e.grant.granted);
    cell.counter = 0;
  }
  const usage = seatUsage(customer, featureId);
  if (isPos(usage)) placeSeats(entries, usage, [], true);
}

/** R3.5 warning: a free or prepaid F balance below 0 after a creation. */
export function seatWarning(core: Core, customer: CustomerRec, featureId: string): SeatWarning | null {
  const entries = seatEntries(core, customer, featureId);
  let over = false;
  let included: Q = 0;
  for (const e of entries) {
    if (e.grant.billing === 'usage_based' || e.grant.unlimited) continue;
    included = add(included, e.grant.granted);
    if (isNeg((e.grant.cell as Cell).balance)) over = true;
  }
  if (!over) return null;
  return { code: 'seats_over_included', feature_id: featureId, in_use: toNumber(seatUsage(customer, featureId)), included: toNumber(included) };
}
