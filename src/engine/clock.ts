/** Moving a customer's clock (R7.1): boundaries, resets (R7.5, R7.6), rollovers (R7.7–R7.10), invoices (R8.2). */
import { addCalendarMonths, DAY_MS } from './calendar.ts';
import type { Core } from './core.ts';
import { floor, fromNumber, isPos, min, mul, pos, sub, add, type Q, ZERO, div, fromInt } from './decimal.ts';
import { advanceLine, arrearLine, makeInvoice, type SeqLine } from './billing.ts';
import { timerPast, timerStep } from './grants.ts';
import { invalidInput, iso } from './failures.ts';
import type { AttachmentRec, Cell, CustomerRec, Grant, RolloverRec } from './model.ts';
import type { Invoice } from './types.ts';
import { resetCursors, setBalance } from './walk.ts';

/** Every cell of a grant: its one balance, or each slice. */
function cellsOf(g: Grant): Cell[] {
  return g.cell !== null ? [g.cell] : (g.group?.slices ?? []);
}

/** The next instant after `now` at which something is due, or null. */
function nextDue(customer: CustomerRec): number | null {
  let next: number | null = null;
  const consider = (t: number) => {
    if (t > customer.now && (next === null || t < next)) next = t;
  };
  for (const att of customer.attachments) {
    for (const b of att.billing) consider(b.timer.at);
    for (const g of att.grants) {
      if (g.resetTimer !== null) consider(g.resetTimer.at);
      if (customer.hasRollovers) for (const c of cellsOf(g)) for (const r of c.rollovers ?? []) if (r.expiresAt !== null) consider(r.expiresAt);
    }
  }
  return next;
}

function sortRollovers(list: RolloverRec[]): void {
  list.sort((a, b) => {
    const ea = a.expiresAt ?? Infinity;
    const eb = b.expiresAt ?? Infinity;
    return ea - eb || a.createdAt - b.createdAt;
  });
}

/** R7.8: the leftover positive balance becomes a rollover just before the reset. */
function createRollover(customer: CustomerRec, g: Grant, cell: Cell, t: number): void {
  const rule = g.rollover;
  if (rule === null || g.unlimited || !isPos(cell.balance)) return;
  const rec: RolloverRec = {
    granted: cell.balance,
    balance: cell.balance,
    createdAt: t,
    expiresAt: rule.expiryDurationType === 'forever' ? null : addCalendarMonths(t, rule.expiryDurationLength),
  };
  cell.rollovers = cell.rollovers ?? [];
  cell.rollovers.push(rec);
  sortRollovers(cell.rollovers);
  customer.hasRollovers = true;
}

/** R7.9: trims the oldest rollovers first when their total exceeds the cap. */
function capRollovers(g: Grant, cell: Cell): void {
  const rule = g.rollover;
  const list = cell.rollovers;
  if (rule === null || list === null || list.length === 0) return;
  let cap: Q | null = null;
  if (rule.max !== null && rule.max > 0) cap = fromNumber(rule.max);
  else if (rule.maxPercentage !== null) cap = floor(div(mul(fromNumber(rule.maxPercentage), g.granted), fromInt(100)));
  if (cap === null) return;
  let total: Q = ZERO;
  for (const r of list) total = add(total, pos(r.balance));
  let excess = sub(total, cap);
  if (!isPos(excess)) return;
  const byAge = [...list].sort((a, b) => a.createdAt - b.createdAt);
  const emptied = new Set<RolloverRec>();
  for (const r of byAge) {
    if (!isPos(excess)) break;
    const cut = min(pos(r.balance), excess);
    if (!isPos(cut)) continue;
    r.balance = sub(r.balance, cut);
    r.granted = sub(r.granted, cut);
    excess = sub(excess, cut);
    if (!isPos(r.balance)) emptied.add(r);
  }
  // A rollover trimmed to 0 is deleted; one used up by tracks stays until it expires.
  if (emptied.size > 0) cell.rollovers = list.filter((r) => !emptied.has(r));
}

/** R7.10: rollovers whose expiry has come are removed with what is left in them. */
function expireRollovers(g: Grant, t: number): void {
  for (const cell of cellsOf(g)) {
    if (cell.rollovers === null) continue;
    const kept = cell.rollovers.filter((r) => r.expiresAt === null || r.expiresAt > t);
    if (kept.length !== cell.rollovers.length) cell.rollovers = kept.length === 0 ? null : kept;
  }
}

/** R7.5: back to granted (slices to included); unlimited counters to 0. */
function resetGrant(g: Grant): void {
  for (const cell of cellsOf(g)) {
    setBalance(cell, g.granted);
    cell.counter = 0;
  }
  if (g.group !== null) resetCursors(g.group);
}

/** Everything due at instant t, attachment by attachment (R7.7), as one invoice. */
function processInstant(core: Core, customer: CustomerRec, t: number, target: number): Invoice | null {
  const lines: SeqLine[] = [];
  for (const att of [...customer.attachments]) processAttachment(customer, att, t, target, lines);
  return makeInvoice(core, customer, lines);
}

function processAttachment(customer: CustomerRec, att: AttachmentRec, t: number, target: number, lines: SeqLine[]): void {
  const dueBills = att.billing.filter((b) => b.timer.at === t);
  const dueResets = att.grants.filter((g) => g.resetTimer !== null && g.resetTimer.at === t);
  // (1) arrears from the state before the reset.
  for (const b of dueBills) {
    if (b.kind !== 'usage' && b.kind !== 'seats') continue;
    const l = arrearLine(att, b, b.timer.periodStart, t);
    if (l !== null) lines.push({ seq: att.seq, line: l });
  }
  // (2) rollovers from leftovers, (3) resets; the next reset jumps past the move's target (R7.6).
  for (const g of dueResets) {
    for (const cell of cellsOf(g)) createRollover(customer, g, cell, t);
    resetGrant(g);
    timerPast(g.resetTimer as NonNullable<Grant['resetTimer']>, target);
  }
  // (4) expiry, (5) caps.
  for (const g of att.grants) expireRollovers(g, t);
  for (const g of dueResets) for (const cell of cellsOf(g)) capRollovers(g, cell);
  // (6) advance lines for the period that starts.
  for (const b of dueBills) {
    timerStep(b.timer);
    if (b.kind !== 'base' && b.kind !== 'prepaid') continue;
    const l = advanceLine(att, b.kind, b.itemIndex, t, b.timer.at, null);
    if (l !== null) lines.push({ seq: att.seq, line: l });
  }
}

/** R7.1: moves the clock to `target`, processing every instant due on the way. */
export function advanceTo(core: Core, customer: CustomerRec, target: number): Invoice[] {
  if (!Number.isFinite(target) || !Number.isInteger(target) || Math.abs(target) > MAX_INSTANT) {
    throw invalidInput(`The instant must be a whole number of epoch milliseconds within ±${MAX_INSTANT} (the range of a date); got ${String(target)}.`);
  }
  if (target < customer.now) {
    throw invalidInput(`Customer '${customer.id}' is at ${iso(customer.now)}; its clock cannot move back to ${iso(target)}.`,
      { customer_id: customer.id, now: customer.now, requested: target }, 'Clocks only move forward; pass a later instant.');
  }
  const invoices: Invoice[] = [];
  for (;;) {
    const t = nextDue(customer);
    if (t === null || t > target) break;
    customer.now = t;
    const invoice = processInstant(core, customer, t, target);
    if (invoice !== null) invoices.push(invoice);
  }
  customer.now = target;
  for (const [key, at] of customer.idempotency) if (at + DAY_MS <= target) customer.idempotency.delete(key);
  return invoices;
}

/** The largest instant a JavaScript Date can hold (year 275760); past it no calendar math works. */
const MAX_INSTANT = 8.64e15;

