import { describe, expect, it } from 'vitest';
import { at, catalog, create, item, metered, plan, price, remaining, setup, slice } from './helpers.ts';

// The docs' team plan (Example 8.A / Scenario 11.1).
const team = catalog(
  [metered('seats', false), metered('summaries')],
  [plan('team', [
    item('seats', { included: 1, price: price({ amount: 30, billingMethod: 'usage_based' }) }),
    item('summaries', { included: 50, reset: 'month', entityFeatureId: 'seats' }),
  ], { base: 30 })],
);

describe('Scenario 11.1: the team plan end to end', () => {
  it('follows every step of the table', () => {
    const start = at('2025-01-15T09:00:00Z');
    const e = setup(team, { start });
    const r1 = e.attach({ customerId: 'c', planId: 'team' });
    expect(r1.invoice?.total).toBe(30);
    expect(r1.invoice?.lines).toMatchObject([{ kind: 'base', timing: 'advance', amount: 30, quantity: 1, period_start: start, period_end: at('2025-02-15T09:00:00Z') }]);
    expect(remaining(e, 'summaries')).toBe(0);

    const r2 = create(e, 'seats', 'alice', 'bob', 'carol', 'dave', 'erin');
    expect(r2.warnings).toEqual([]);
    expect(remaining(e, 'summaries')).toBe(250);
    expect(e.check({ customerId: 'c', featureId: 'seats' }).balance?.breakdown[0]?.balance).toBe(-4);

    e.track({ customerId: 'c', featureId: 'summaries', entityId: 'alice', value: 20 });
    expect(slice(e, 'summaries', 'alice')).toBe(30);
    expect(remaining(e, 'summaries')).toBe(230);

    const c4 = e.check({ customerId: 'c', featureId: 'summaries', entityId: 'bob', requiredBalance: 60 });
    expect(c4.allowed).toBe(false);
    expect(c4.balance?.remaining).toBe(50);

    const t5 = e.track({ customerId: 'c', featureId: 'summaries', value: 40 });
    expect(t5.applied).toBe(40);
    expect(t5.deductions.map((d) => [d.entity_id, d.amount])).toEqual([['alice', 30], ['bob', 10]]);
    expect(slice(e, 'summaries', 'alice')).toBe(0);
    expect(slice(e, 'summaries', 'bob')).toBe(40);
    expect(remaining(e, 'summaries')).toBe(190);

    const t6 = e.track({ customerId: 'c', featureId: 'summaries', entityId: 'erin', value: 60 });
    expect(t6.applied).toBe(50);
    expect(t6.value).toBe(60);
    expect(e.events('c').at(-1)).toMatchObject({ value: 60, applied: 50, entity_id: 'erin' });
    expect(remaining(e, 'summaries')).toBe(140);

    e.deleteEntity({ customerId: 'c', entityId: 'dave' });
    expect(remaining(e, 'summaries')).toBe(90);
    create(e, 'seats', 'frank');
    expect(remaining(e, 'summaries')).toBe(140);
    expect(e.check({ customerId: 'c', featureId: 'seats' }).balance?.usage).toBe(5);

    const adv = e.advanceTo('c', at('2025-02-15T09:00:00Z'));
    expect(adv.invoices).toHaveLength(1);
    expect(adv.invoices[0]?.total).toBe(150);
    expect(adv.invoices[0]?.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([['base', 1, 30], ['seats', 4, 120]]);
    for (const name of ['alice', 'bob', 'carol', 'erin', 'frank']) expect(slice(e, 'summaries', name)).toBe(50);
    expect(remaining(e, 'summaries')).toBe(250);
    expect(e.check({ customerId: 'c', featureId: 'summaries' }).balance?.next_reset_at).toBe(at('2025-03-15T09:00:00Z'));
  });
});
