import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/catalog/schema.ts';
import type { InvoiceLine } from '../../src/engine/index.ts';
import { boundary, lastEndedPeriod, linesOfPeriod, linesTotal, periodContaining, recurringPrice, type PeriodClock } from '../../src/simulate/periods.ts';
import { formatInstant, parseInstant } from '../../src/simulate/time.ts';

const at = (iso: string) => parseInstant(iso)!;
const monthly = (anchor: string): PeriodClock => ({ anchor: at(anchor), price: { interval: 'month', intervalCount: 1 } });

describe('service periods of invoice expectations (scenario.md "Invoice")', () => {
  it('computes each boundary from the anchor, clamping to month ends (R7.3, Example 7.A)', () => {
    const clock = monthly('2024-01-31T10:00:00Z');
    expect([1, 2, 3, 4].map((k) => formatInstant(boundary(clock, k)))).toEqual([
      '2024-02-29T10:00:00Z', '2024-03-31T10:00:00Z', '2024-04-30T10:00:00Z', '2024-05-31T10:00:00Z',
    ]);
    const yearly: PeriodClock = { anchor: at('2024-02-29T00:00:00Z'), price: { interval: 'year', intervalCount: 1 } };
    expect([1, 4].map((k) => formatInstant(boundary(yearly, k)))).toEqual(['2025-02-28T00:00:00Z', '2028-02-29T00:00:00Z']);
    const quarterly: PeriodClock = { anchor: at('2026-01-01T00:00:00Z'), price: { interval: 'week', intervalCount: 2 } };
    expect(formatInstant(boundary(quarterly, 1))).toBe('2026-01-15T00:00:00Z');
  });

  it('"last" is the highest period whose end the clock has reached', () => {
    const clock = monthly('2026-01-01T00:00:00Z');
    expect(lastEndedPeriod(clock, at('2026-01-31T23:59:59Z'))).toBe(0);
    expect(lastEndedPeriod(clock, at('2026-02-01T00:00:00Z'))).toBe(1);
    expect(lastEndedPeriod(clock, at('2026-04-15T00:00:00Z'))).toBe(3);
    expect(periodContaining(clock, at('2026-02-01T00:00:00Z'))).toBe(2);
  });

  it('selects lines by period_start and orders them by attachment, kind, item (R8.1, Example 6.C)', () => {
    const line = (over: Partial<InvoiceLine>): InvoiceLine => ({
      kind: 'base', timing: 'advance', plan_id: 'pro', attachment_id: 'att_1', feature_id: null, item_index: null, entity_id: null,
      period_start: at('2026-01-01T00:00:00Z'), period_end: at('2026-02-01T00:00:00Z'), quantity: 1, amount: 20, prorated: false, ...over,
    });
    const lines = [
      line({}),
      line({ kind: 'base', plan_id: 'max', attachment_id: 'att_2', period_start: at('2026-01-16T00:00:00Z'), amount: 50 }),
      line({ kind: 'usage', feature_id: 'messages', item_index: 1, timing: 'arrear', quantity: 30, amount: 3 }),
      line({ kind: 'seats', feature_id: 'users', item_index: 0, timing: 'arrear', quantity: 2, amount: 20 }),
      line({ kind: 'base', plan_id: 'max', attachment_id: 'att_2', period_start: at('2026-02-16T00:00:00Z'), amount: 50 }),
    ];
    const seq = new Map([['att_1', 1], ['att_2', 2]]);
    const clock = monthly('2026-01-01T00:00:00Z');
    expect(linesOfPeriod(lines, clock, 1, seq).map((l) => `${l.plan_id} ${l.kind} ${l.amount}`)).toEqual(['pro base 20', 'pro usage 3', 'pro seats 20', 'max base 50']);
    expect(linesOfPeriod(lines, clock, 2, seq).map((l) => `${l.plan_id} ${l.kind} ${l.amount}`)).toEqual(['max base 50']);
  });

  it('takes the recurring price of R7.2: the base price, else the first recurring item price', () => {
    const plan = (over: Partial<Plan>): Plan => ({
      id: 'p', name: 'P', description: null, group: null, addOn: false, autoEnable: false, price: null, freeTrial: null, items: [], archived: false, billingControls: null, ...over,
    });
    expect(recurringPrice(plan({ price: { amount: 30, interval: 'month', intervalCount: 1 } }))).toEqual({ interval: 'month', intervalCount: 1 });
    expect(recurringPrice(plan({ price: { amount: 30, interval: 'one_off', intervalCount: 1 } }))).toBeNull();
    const usage = { featureId: 'api', included: 0, unlimited: false, reset: null, entityFeatureId: null, rollover: null, proration: null };
    const price = { rate: { kind: 'flat' as const, amount: 1 }, intervalCount: 3, billingUnits: 1, billingMethod: 'usage_based' as const, maxPurchase: null };
    expect(recurringPrice(plan({ items: [{ ...usage, price: null }, { ...usage, price: { ...price, interval: 'week' } }] }))).toEqual({ interval: 'week', intervalCount: 3 });
  });

  it('finds the period of any instant by calendar distance, agreeing with a walk over every boundary', () => {
    const walk = (clock: PeriodClock, instant: number) => {
      if (instant < clock.anchor) return 0;
      let n = 1;
      while (boundary(clock, n) <= instant) n++;
      return n;
    };
    const clocks: PeriodClock[] = [
      monthly('2024-01-31T10:00:00Z'),
      { anchor: at('2024-02-29T00:00:00Z'), price: { interval: 'year', intervalCount: 1 } },
      { anchor: at('2026-03-31T23:00:00Z'), price: { interval: 'quarter', intervalCount: 2 } },
      { anchor: at('2026-01-05T12:00:00Z'), price: { interval: 'week', intervalCount: 3 } },
    ];
    for (const clock of clocks) {
      for (let k = 0; k <= 150; k++) {
        const edge = boundary(clock, k);
        for (const instant of [edge - 1, edge, edge + 1, edge + 86_400_000 * 13]) {
          expect(periodContaining(clock, instant)).toBe(walk(clock, instant));
          expect(lastEndedPeriod(clock, instant)).toBe(Math.max(0, walk(clock, instant) - 1));
        }
      }
    }
  });

  it('adds line amounts as whole cents: no float noise, and exact past 2^53 cents', () => {
    const line = (amount: number) => ({ amount }) as InvoiceLine;
    expect(linesTotal([line(0.1), line(0.2)])).toBe(0.3);
    expect(linesTotal([line(1e21), line(0.01)])).toBe(1e21);
    expect(linesTotal([])).toBe(0);
    expect(linesTotal([line(30), line(-12.5)])).toBe(17.5);
  });
});
