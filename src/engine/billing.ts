/** Invoice lines and their money (R8.1–R8.8). Amounts are exact until each line is rounded to cents. */
import type { ItemPrice } from '../catalog/schema.ts';
import { boundary, isIntervalUnit } from './calendar.ts';
import type { Core } from './core.ts';
import { add, ceil, cmp, div, fromInt, fromNumber, isNeg, isPos, min, mul, neg, roundCents, sub, toNumber, ZERO, type Q } from './decimal.ts';
import { makeTimer } from './grants.ts';
import type { AttachmentRec, BillingTimer, CustomerRec, Grant, Timer } from './model.ts';
import type { Invoice, InvoiceLine, InvoiceLineKind } from './types.ts';

/** R8.7: the exact price of q units (q already rounded to packs where the rules say so). */
function priceQuantity(price: ItemPrice, included: Q, q: Q): Q {
  if (!isPos(q)) return ZERO;
  const units = fromNumber(price.billingUnits);
  const rate = price.rate;
  if (rate.kind === 'flat') return mul(div(q, units), fromNumber(rate.amount));
  let prev: Q = ZERO;
  let total: Q = ZERO;
  for (const tier of rate.tiers) {
    const bound: Q | null = tier.to === 'inf' ? null : sub(fromNumber(tier.to), included);
    const hi = bound === null ? q : isNeg(bound) ? ZERO : bound;
    const flat = tier.flatAmount === null ? ZERO : fromNumber(tier.flatAmount);
    if (rate.tierBehavior === 'graduated') {
      const part = sub(min(q, hi), prev);
      if (isPos(part)) total = add(total, add(mul(div(part, units), fromNumber(tier.amount)), flat));
    } else if (cmp(q, prev) > 0 && cmp(q, hi) <= 0) {
      return add(mul(div(q, units), fromNumber(tier.amount)), flat);
    }
    if (bound === null || cmp(q, hi) <= 0) break;
    if (cmp(hi, prev) > 0) prev = hi;
  }
  return total;
}

/** ceil(overage / billingUnits) × billingUnits (R8.5). */
function billableUnits(price: ItemPrice, overage: Q): Q {
  if (!isPos(overage)) return ZERO;
  const units = fromNumber(price.billingUnits);
  return mul(ceil(div(overage, units)), units);
}

/** Σ max(0, −balance) over the grant's balance or slices (R8.5, R8.6). */
function overageOf(grant: Grant): Q {
  if (grant.cell !== null) return isNeg(grant.cell.balance) ? neg(grant.cell.balance) : ZERO;
  let total: Q = ZERO;
  for (const s of grant.group?.slices ?? []) if (isNeg(s.balance)) total = sub(total, s.balance);
  return total;
}

export function line(att: AttachmentRec, kind: InvoiceLineKind, itemIndex: number | null, start: number, end: number,
  quantity: Q, amount: Q, prorated = false): InvoiceLine {
  return {
    kind,
    timing: kind === 'base' || kind === 'prepaid' ? 'advance' : 'arrear',
    plan_id: att.plan.id,
    attachment_id: att.id,
    feature_id: itemIndex === null ? null : (att.plan.items[itemIndex]?.featureId ?? null),
    item_index: itemIndex,
    entity_id: att.entity?.id ?? null,
    period_start: start,
    period_end: end,
    quantity: toNumber(quantity),
    amount: toNumber(roundCents(amount)),
    prorated,
  };
}

/** The billing timers of an attachment (R8.2): base price and each priced item on its own interval. */
export function billingTimers(att: AttachmentRec, nonConsumable: (featureId: string) => boolean): BillingTimer[] {
  const timers: BillingTimer[] = [];
  const price = att.plan.price;
  if (price !== null && isIntervalUnit(price.interval)) {
    timers.push({ kind: 'base', itemIndex: null, timer: makeTimer(att.anchor, price.interval, price.intervalCount, att.attachedAt) });
  }
  att.plan.items.forEach((item, i) => {
    const p = item.price;
    if (p === null || item.unlimited || !isIntervalUnit(p.interval)) return;
    const kind = p.billingMethod === 'prepaid' ? 'prepaid' : nonConsumable(item.featureId) ? 'seats' : 'usage';
    timers.push({ kind, itemIndex: i, timer: makeTimer(att.anchor, p.interval, p.intervalCount, att.attachedAt) });
  });
  return timers;
}

function grantOf(att: AttachmentRec, itemIndex: number): Grant | undefined {
  return att.grants.find((g) => g.itemIndex === itemIndex);
}

/** An arrear line (usage or seats) for [start, end), from the state now. */
export function arrearLine(att: AttachmentRec, b: BillingTimer, start: number, end: number): InvoiceLine | null {
  const itemIndex = b.itemIndex as number;
  const item = att.plan.items[itemIndex];
  const grant = grantOf(att, itemIndex);
  if (item?.price == null || grant === undefined) return null;
  const q = billableUnits(item.price, overageOf(grant));
  return line(att, b.kind, itemIndex, start, end, q, priceQuantity(item.price, grant.included, q));
}

/** An advance line (base or prepaid) for [start, end), prorated by `factor` when given (R8.8). */
export function advanceLine(att: AttachmentRec, kind: 'base' | 'prepaid', itemIndex: number | null, start: number, end: number,
  factor: Q | null): InvoiceLine | null {
  let quantity: Q;
  let amount: Q;
  if (kind === 'base') {
    if (att.plan.price === null) return null;
    quantity = fromInt(1);
    amount = fromNumber(att.plan.price.amount);
  } else {
    const item = att.plan.items[itemIndex as number];
    if (item?.price == null) return null;
    quantity = att.prepaidUnits.get(itemIndex as number) ?? ZERO;
    amount = priceQuantity(item.price, item.unlimited ? ZERO : fromNumber(item.included), quantity);
  }
  if (factor !== null) amount = mul(amount, factor);
  return line(att, kind, itemIndex, start, end, quantity, amount, factor !== null);
}

/** The advance lines charged at attach (R8.2, R8.8): base and prepaid for the first period, one_off prices too. */
export function attachLines(att: AttachmentRec): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  const t = att.attachedAt;
  const synced = att.anchor !== att.attachedAt;
  const periodOf = (timer: Timer | undefined): { end: number; factor: Q | null } => {
    if (timer === undefined) return { end: t, factor: null };
    if (!synced) return { end: timer.at, factor: null };
    const start = boundary(timer.anchor, timer.interval, timer.count, timer.k - 1);
    return { end: timer.at, factor: div(fromInt(timer.at - t), fromInt(timer.at - start)) };
  };
  if (att.plan.price !== null) {
    const { end, factor } = periodOf(att.billing.find((b) => b.kind === 'base')?.timer);
    const l = advanceLine(att, 'base', null, t, end, factor);
    if (l !== null) lines.push(l);
  }
  att.plan.items.forEach((item, i) => {
    if (item.price === null || item.unlimited || item.price.billingMethod !== 'prepaid') return;
    const { end, factor } = periodOf(att.billing.find((b) => b.itemIndex === i)?.timer);
    const l = advanceLine(att, 'prepaid', i, t, end, factor);
    if (l !== null) lines.push(l);
  });
  return linesTotal(lines) > 0 ? lines : [];
}

/** A line with the sequence number of its attachment, which orders it within an invoice. */
export type SeqLine = { seq: number; line: InvoiceLine };

const KIND_ORDER: Record<InvoiceLineKind, number> = { base: 0, prepaid: 1, usage: 2, seats: 3 };

/** R8.1 line order: attachment sequence, kind, item index, period start. */
export function sortLines(lines: SeqLine[]): InvoiceLine[] {
  lines.sort((a, b) => a.seq - b.seq || KIND_ORDER[a.line.kind] - KIND_ORDER[b.line.kind] ||
    (a.line.item_index ?? -1) - (b.line.item_index ?? -1) || a.line.period_start - b.line.period_start);
  return lines.map((l) => l.line);
}

export function linesTotal(lines: InvoiceLine[]): number {
  let total: Q = ZERO;
  for (const l of lines) total = add(total, fromNumber(l.amount));
  return toNumber(total);
}

/** One invoice from the lines of one operation (R8.1), or null when there are none. */
export function makeInvoice(core: Core, customer: CustomerRec, lines: SeqLine[]): Invoice | null {
  if (lines.length === 0) return null;
  const sorted = sortLines(lines);
  const invoice: Invoice = {
    id: `inv_${++core.counters.invoice}`,
    customer_id: customer.id,
    created_at: customer.now,
    lines: sorted,
    total: linesTotal(sorted),
  };
  customer.invoices.push(invoice);
  return invoice;
}
