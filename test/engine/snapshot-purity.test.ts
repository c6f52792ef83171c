import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, restoreEngine } from '../../src/engine/index.ts';
import { at, catalog, create, errorCode, item, metered, plan, price, slice } from './helpers.ts';

const cat = catalog([metered('users', false), metered('tokens')], [plan('p', [
  item('tokens', { included: 50, reset: 'month', entityFeatureId: 'users', price: price({ amount: 1 }),
    rollover: { max: null, maxPercentage: null, expiryDurationType: 'month', expiryDurationLength: 1 } }),
], { base: 5 })]);

describe('snapshot and restore', () => {
  it('round-trips through JSON and keeps exact fractions', () => {
    const e = createEngine(cat);
    e.createCustomer({ id: 'c', now: at('2025-01-01T00:00:00Z') });
    e.attach({ customerId: 'c', planId: 'p' });
    e.createEntities({ customerId: 'c', entities: [{ id: 'user-9', featureId: 'users' }, { id: 'user-10', featureId: 'users' }] });
    e.track({ customerId: 'c', featureId: 'tokens', value: '0.1' });
    e.track({ customerId: 'c', featureId: 'tokens', value: '0.00000001', properties: { model: 'x' } });
    e.advanceTo('c', at('2025-02-01T00:00:00Z'));
    e.track({ customerId: 'c', featureId: 'tokens', value: 1 / 3 });
    const json = JSON.stringify(e.snapshot());
    const r = restoreEngine(cat, JSON.parse(json));
    expect(JSON.stringify(r.snapshot())).toBe(json);
    expect(r.events('c')).toEqual(e.events('c'));
    expect(r.invoices('c')).toEqual(e.invoices('c'));
    expect(r.balances('c')).toEqual(e.balances('c'));
    expect(r.events('c').filter((x) => x.source === 'track')[1]).toMatchObject({ value: 0.00000001, properties: { model: 'x' } });
  });
  it('re-sorts slices when restored with another entity order', () => {
    const e = createEngine(cat);
    e.createCustomer({ id: 'c', now: 0 });
    e.attach({ customerId: 'c', planId: 'p' });
    e.createEntities({ customerId: 'c', entities: [{ id: 'user-9', featureId: 'users' }, { id: 'user-10', featureId: 'users' }] });
    const r = restoreEngine(cat, e.snapshot(), { entityOrder: 'id' });
    r.track({ customerId: 'c', featureId: 'tokens', value: 70 });
    const view = (id: string) => r.check({ customerId: 'c', featureId: 'tokens', entityId: id }).balance?.breakdown[0]?.balance;
    expect([view('user-9'), view('user-10')]).toEqual([30, 0]);
  });
  it('rejects malformed state with state_corrupt', () => {
    expect(errorCode(() => restoreEngine(cat, { version: 2 }))).toBe('state_corrupt');
    const e = createEngine(cat);
    e.createCustomer({ id: 'c', now: 0 });
    e.attach({ customerId: 'c', planId: 'p' });
    create(e, 'users', 'a');
    const state = e.snapshot();
    state.customers[0]!.entities = [];
    expect(errorCode(() => restoreEngine(cat, state))).toBe('state_corrupt');
    expect(slice(e, 'tokens', 'a')).toBe(50);
  });
});

describe('purity (design rule 1)', () => {
  it('src/engine imports no node module and reads no clock, randomness or environment', () => {
    const dir = join(import.meta.dirname, '../../src/engine');
    const offenders: string[] = [];
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const pattern of [/from 'node:/, /from '(fs|path|os|child_process)'/, /Date\.now\(/, /new Date\(\)/, /Math\.random\(/, /process\./, /performance\./]) {
        if (pattern.test(text)) offenders.push(`${f}: ${pattern}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
