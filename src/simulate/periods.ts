import type { Plan, PriceInterval } from '../catalog/schema.ts';
import { firstBoundaryAfter, periodBoundary, type InvoiceLine } from '../engine/index.ts';
import { roundHalfEven } from './decimal.ts';

/**
 * Service periods of a customer, as invoice expectations see them (spec/scenario.md
 * "Invoice"): period 1 starts at the customer's first attach of a plan with a recurring
 * price; later periods follow that price's interval from that instant (semantics R7.3),
 * even after the attachment ends. Pure.
 */

export interface RecurringPrice {
  interval: Exclude<PriceInterval, 'one_off'>;
  intervalCount: number;
}

export interface PeriodClock {
  anchor: number;
  price: RecurringPrice;
}

/** R7.2: the base price if it recurs, else the price of the first item whose price recurs. */
export function recurringPrice(plan: Plan): RecurringPrice | null {
  if (plan.price && plan.price.interval !== 'one_off') return { interval: plan.price.interval, intervalCount: plan.price.intervalCount };
  for (const item of plan.items) {
    if (item.price && item.price.interval !== 'one_off') return { interval: item.price.interval, intervalCount: item.price.intervalCount };
  }
  return null;
}

/** Boundary k (k ≥ 0) counted from the anchor each time, never from the previous one (R7.3). */
export function boundary(clock: PeriodClock, k: number): number {
  return periodBoundary(clock.anchor, clock.price.interval, clock.price.intervalCount, k);
}

/** [start, end) of period n (1-based). */
export function periodBounds(clock: PeriodClock, n: number): { start: number; end: number } {
  return { start: boundary(clock, n - 1), end: boundary(clock, n) };
}

/** The highest n whose end the clock has reached; 0 when period 1 is still running. */
export function lastEndedPeriod(clock: PeriodClock, now: number): number {
  return Math.max(0, periodContaining(clock, now) - 1);
}

/** The period (1-based) whose [start, end) holds the instant; 0 before period 1. */
export function periodContaining(clock: PeriodClock, instant: number): number {
  if (instant < clock.anchor) return 0;
  // Found from the calendar distance, not by walking every boundary: long runs stay linear.
  return firstBoundaryAfter(clock.anchor, clock.price.interval, clock.price.intervalCount, instant);
}

/** The sum of lines already rounded to cents (R8.8), added as whole cents so no float noise creeps in. */
export function linesTotal(lines: readonly InvoiceLine[]): number {
  const cents = lines.reduce((sum, line) => sum + roundHalfEven(line.amount, 2), 0n);
  return Number(`${cents}e-2`);
}

/** Lines grouped by the service period (0: before period 1) their `period_start` falls in. */
export function linesByPeriod(lines: readonly InvoiceLine[], clock: PeriodClock): Map<number, InvoiceLine[]> {
  const groups = new Map<number, InvoiceLine[]>();
  for (const line of lines) {
    const n = periodContaining(clock, line.period_start);
    const group = groups.get(n);
    if (group) group.push(line);
    else groups.set(n, [line]);
  }
  return groups;
}

const KIND_ORDER = { base: 0, prepaid: 1, usage: 2, seats: 3 } as const;

/**
 * Lines of period n in semantics R8.1 order: attachment sequence, kind, item index,
 * period_start. `attachmentSeq` maps attachment ids to their attach sequence numbers.
 */
export function linesOfPeriod(lines: readonly InvoiceLine[], clock: PeriodClock, n: number, attachmentSeq: ReadonlyMap<string, number>): InvoiceLine[] {
  const { start, end } = periodBounds(clock, n);
  return sortLines(lines.filter((line) => line.period_start >= start && line.period_start < end), attachmentSeq);
}

export function sortLines(lines: readonly InvoiceLine[], attachmentSeq: ReadonlyMap<string, number>): InvoiceLine[] {
  return lines
    .map((line, position) => ({ line, position }))
    .sort((a, b) => {
      const seq = (attachmentSeq.get(a.line.attachment_id) ?? Infinity) - (attachmentSeq.get(b.line.attachment_id) ?? Infinity);
      if (seq !== 0 && !Number.isNaN(seq)) return seq;
      const kind = KIND_ORDER[a.line.kind] - KIND_ORDER[b.line.kind];
      if (kind !== 0) return kind;
      const item = (a.line.item_index ?? -1) - (b.line.item_index ?? -1);
      if (item !== 0) return item;
      return a.line.period_start - b.line.period_start || a.position - b.position;
    })
    .map(({ line }) => line);
}
