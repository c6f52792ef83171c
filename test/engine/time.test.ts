import { describe, expect, it } from 'vitest';
import { addCalendarMonths, periodBoundary } from '../../src/engine/index.ts';
import { at, catalog, errorCode, item, metered, plan, price, setup } from './helpers.ts';

const iso = (t: number | null | undefined) => (t == null ? t : new Date(t).toISOString().replace('.000Z', 'Z'));

describe('Example 7.A: calendar boundaries', () => {
  it('computes each boundary from the anchor, clamped to the month end', () => {
    const a = at('2024-01-31T10:00:00Z');
    expect([1, 2, 3, 4].map((k) => iso(periodBoundary(a, 'month', 1, k)))).toEqual([
      '2024-02-29T10:00:00Z', '2024-03-31T10:00:00Z', '2024-04-30T10:00:00Z', '2024-05-31T10:00:00Z',
    ]);
    expect(iso(periodBoundary(at('2025-01-31T10:00:00Z'), 'month', 1, 1))).toBe('2025-02-28T10:00:00Z');
    expect([1, 2, 3, 4].map((k) => iso(periodBoundary(at('2024-02-29T00:00:00Z'), 'year', 1, k)))).toEqual([
      '2025-02-28T00:00:00Z', '2026-02-28T00:00:00Z', '2027-02-28T00:00:00Z', '2028-02-29T00:00:00Z',
    ]);
    expect(iso(addCalendarMonths(at('2026-01-31T00:00:00Z'), 1))).toBe('2026-02-28T00:00:00Z');
  });
  it('resets a monthly balance at those boundaries', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 10, reset: 'month' })])]), { start: at('2024-01-31T10:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    e.track({ customerId: 'c', featureId: 'm', value: 4 });
    e.advanceTo('c', at('2024-02-29T09:59:59Z'));
    expect(e.check({ customerId: 'c', featureId: 'm' }).balance?.remaining).toBe(6);
    e.advanceTo('c', at('2024-02-29T10:00:00Z'));
    const b = e.check({ customerId: 'c', featureId: 'm' }).balance;
    expect([b?.remaining, iso(b?.next_reset_at)]).toEqual([10, '2024-03-31T10:00:00Z']);
  });
});

describe('Example 7.B: rollover with a cap', () => {
  it('follows the table', () => {
    const e = setup(catalog([metered('credits')], [plan('p', [item('credits', {
      included: 100, reset: 'month', rollover: { max: 150, maxPercentage: null, expiryDurationType: 'month', expiryDurationLength: 2 },
    })])]), { start: at('2025-03-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    const state = () => {
      const b = e.check({ customerId: 'c', featureId: 'credits' }).balance;
      return { main: b?.breakdown[0]?.balance, rollovers: b?.rollovers.map((r) => [r.balance, iso(r.expires_at)?.slice(0, 10)]), remaining: b?.remaining };
    };
    e.advanceTo('c', at('2025-03-10T00:00:00Z'));
    e.track({ customerId: 'c', featureId: 'credits', value: 30 });
    expect(state()).toEqual({ main: 70, rollovers: [], remaining: 70 });
    e.advanceTo('c', at('2025-04-01T00:00:00Z'));
    expect(state()).toEqual({ main: 100, rollovers: [[70, '2025-06-01']], remaining: 170 });
    const t3 = e.track({ customerId: 'c', featureId: 'credits', value: 10 });
    expect(t3.deductions.map((d) => [d.rollover, d.amount])).toEqual([[true, 10]]);
    expect(state()).toEqual({ main: 100, rollovers: [[60, '2025-06-01']], remaining: 160 });
    e.advanceTo('c', at('2025-05-01T00:00:00Z'));
    expect(state()).toEqual({ main: 100, rollovers: [[50, '2025-06-01'], [100, '2025-07-01']], remaining: 250 });
    e.track({ customerId: 'c', featureId: 'credits', value: 80 });
    expect(state()).toEqual({ main: 100, rollovers: [[0, '2025-06-01'], [70, '2025-07-01']], remaining: 170 });
    e.advanceTo('c', at('2025-06-01T00:00:00Z'));
    expect(state()).toEqual({ main: 100, rollovers: [[50, '2025-07-01'], [100, '2025-08-01']], remaining: 250 });
  });
  it('a refund refills a used-up rollover before the main balance', () => {
    const e = setup(catalog([metered('credits')], [plan('p', [item('credits', {
      included: 100, reset: 'month', rollover: { max: null, maxPercentage: 50, expiryDurationType: 'forever', expiryDurationLength: 1 },
    })])]), { start: at('2025-03-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    e.track({ customerId: 'c', featureId: 'credits', value: 20 });
    e.advanceTo('c', at('2025-04-01T00:00:00Z'));
    // maxPercentage 50 of granted 100 caps the leftover 80 at 50.
    expect(e.check({ customerId: 'c', featureId: 'credits' }).balance?.rollovers.map((r) => [r.granted, r.balance, r.expires_at])).toEqual([[50, 50, null]]);
    e.track({ customerId: 'c', featureId: 'credits', value: 60 });
    e.track({ customerId: 'c', featureId: 'credits', value: -55 });
    const b = e.check({ customerId: 'c', featureId: 'credits' }).balance;
    expect([b?.rollovers[0]?.balance, b?.breakdown[0]?.balance, b?.remaining]).toEqual([50, 95, 145]);
  });
});

describe('Example 7.C: missed periods', () => {
  const cat = catalog([metered('credits')], [plan('p', [item('credits', {
    included: 100, reset: 'month', rollover: { max: null, maxPercentage: null, expiryDurationType: 'forever', expiryDurationLength: 1 },
  })])]);
  const run = (stops: string[]) => {
    const e = setup(cat, { start: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    e.advanceTo('c', at('2025-01-15T00:00:00Z'));
    e.track({ customerId: 'c', featureId: 'credits', value: 40 });
    for (const s of stops) e.advanceTo('c', at(s));
    const b = e.check({ customerId: 'c', featureId: 'credits' }).balance;
    return { main: b?.breakdown[0]?.balance, rollovers: b?.rollovers.map((r) => r.balance), remaining: b?.remaining, next: iso(b?.next_reset_at) };
  };
  it('one long advance resets once', () => {
    expect(run(['2025-04-15T00:00:00Z'])).toEqual({ main: 100, rollovers: [60], remaining: 160, next: '2025-05-01T00:00:00Z' });
  });
  it('three short advances reset three times', () => {
    expect(run(['2025-02-15T00:00:00Z', '2025-03-15T00:00:00Z', '2025-04-15T00:00:00Z'])).toEqual({ main: 100, rollovers: [60, 100, 100], remaining: 360, next: '2025-05-01T00:00:00Z' });
  });
  it('still invoices every billing boundary crossed', () => {
    const e = setup(catalog([metered('m')], [plan('p', [item('m', { included: 5, price: price({ amount: 1 }) })], { base: 9 })]), { start: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    e.track({ customerId: 'c', featureId: 'm', value: 8 });
    const r = e.advanceTo('c', at('2025-04-15T00:00:00Z'));
    expect(r.invoices.map((i) => [iso(i.created_at)?.slice(0, 10), i.lines.map((l) => [l.kind, l.amount])])).toEqual([
      ['2025-02-01', [['base', 9], ['usage', 3]]],
      ['2025-03-01', [['base', 9], ['usage', 0]]],
      ['2025-04-01', [['base', 9], ['usage', 0]]],
    ]);
  });
});

describe('R7.1: clocks', () => {
  it('never move back, and each customer has its own', () => {
    const e = setup(catalog([metered('m')], []), { customers: ['a', 'b'], start: at('2025-01-01T00:00:00Z') });
    e.advanceTo('a', at('2025-03-01T00:00:00Z'));
    expect([iso(e.now('a')), iso(e.now('b'))]).toEqual(['2025-03-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    let message = '';
    try { e.advanceTo('a', at('2025-02-01T00:00:00Z')); } catch (error) { message = (error as Error).message; }
    expect(message).toBe("Customer 'a' is at 2025-03-01T00:00:00Z; its clock cannot move back to 2025-02-01T00:00:00Z.");
    expect(e.advanceTo('a', at('2025-03-01T00:00:00Z')).invoices).toEqual([]);
    expect(errorCode(() => e.advanceTo('zz', 0))).toBe('customer_not_found');
    // Past the range of a date no boundary can be computed: refused, the clock stays.
    expect(errorCode(() => e.advanceTo('a', 9e15))).toBe('invalid_input');
    expect(errorCode(() => e.advanceTo('a', Number.NaN))).toBe('invalid_input');
    expect(iso(e.now('a'))).toBe('2025-03-01T00:00:00Z');
  });
});
