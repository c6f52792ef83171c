import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Catalog } from '../../src/catalog/schema.ts';
import { applyOp } from '../../src/store/engine-ops.ts';
import { EngineStore, JOURNAL_FILE, SNAPSHOT_FILE, loadEngineStates } from '../../src/store/engine-store.ts';

// The durable engine store in-process, on real files: compaction while writing, replay, reopen.
const CATALOG: Catalog = {
  features: {
    calls: { id: 'calls', name: 'Calls', type: 'metered', consumable: true, eventNames: [], creditSchema: [], archived: false },
    seats: { id: 'seats', name: 'Seats', type: 'metered', consumable: false, eventNames: [], creditSchema: [], archived: false },
  },
  plans: {
    bulk: {
      id: 'bulk', name: 'Bulk', description: null, group: null, addOn: false, autoEnable: true, price: null, freeTrial: null, archived: false, billingControls: null,
      items: [{ featureId: 'calls', included: 1_000_000, unlimited: false, reset: null, price: null, entityFeatureId: null, rollover: null, proration: null }],
    },
  },
};
const EMPTY: Catalog = { features: {}, plans: {} };
const T0 = Date.UTC(2025, 0, 15, 9);

const open = (dir: string, compactBytes?: number) =>
  EngineStore.open({ dir, catalogs: { sandbox: CATALOG, live: EMPTY }, entityOrder: 'created', ...(compactBytes ? { compactBytes } : {}) });

describe('EngineStore', () => {
  test('compacts into the snapshot while writes go on; a reopen (as after a crash) sees every op', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atmn-store-'));
    const store = open(dir, 4096);
    await store.run({ op: 'create_customer', env: 'sandbox', req: { id: 'c', now: T0 }, profile: { fingerprint: null, metadata: {}, send_email_receipts: false }, versions: { bulk: 1 } });
    const tracks = Array.from({ length: 600 }, (_, i) =>
      store.run({ op: 'track', env: 'sandbox', now: T0 + i, req: { customerId: 'c', featureId: 'calls', value: 1, idempotencyKey: `k${i}` } }));
    await Promise.all(tracks);
    // Compaction runs once the journal is idle: wait for it (bounded), then check what it left.
    for (let waited = 0; statSync(join(dir, JOURNAL_FILE)).size >= 4096 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(statSync(join(dir, JOURNAL_FILE)).size).toBeLessThan(4096);
    expect(JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), 'utf8')).seq).toBeGreaterThan(1);

    // Not closed: the next open replays whatever the journal still holds on top of the snapshot.
    const reopened = open(dir);
    const engine = reopened.states.sandbox.engine;
    expect(engine.events('c').filter((e) => e.source === 'track')).toHaveLength(600);
    expect(engine.balances('c').calls).toMatchObject({ granted: 1_000_000, usage: 600, remaining: 999_400 });
    expect(() => engine.track({ customerId: 'c', featureId: 'calls', idempotencyKey: 'k599' })).toThrow(expect.objectContaining({ code: 'duplicate_idempotency_key' }));
    await reopened.close();
    await store.close();
  });

  test('a refusal that auto-created an entity is journaled, so the entity survives a replay (semantics R5.2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atmn-store-'));
    const store = open(dir);
    await store.run({ op: 'create_customer', env: 'sandbox', req: { id: 'c', now: T0 }, profile: { fingerprint: null, metadata: {}, send_email_receipts: false }, versions: { bulk: 1 } });
    const op = {
      op: 'track', env: 'sandbox', now: T0,
      req: { customerId: 'c', featureId: 'calls', entityId: 'ws', entityData: { featureId: 'seats' }, value: 5_000_000, overageBehavior: 'reject' },
    } as const;
    await expect(store.run(op, () => true)).rejects.toMatchObject({ code: 'insufficient_balance' });
    const replayed = loadEngineStates(dir, { sandbox: CATALOG, live: EMPTY }).sandbox.engine;
    expect(replayed.entities('c').map((e) => e.id)).toEqual(['ws']);
    expect(replayed.events('c').filter((e) => e.source === 'track')).toEqual([]);
    await store.close();
  });

  test('a further idempotency key (wire.md §6.1) survives replay and compaction, and expires with the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atmn-store-'));
    const store = open(dir);
    await store.run({ op: 'create_customer', env: 'sandbox', req: { id: 'c', now: T0 }, profile: { fingerprint: null, metadata: {}, send_email_receipts: false }, versions: { bulk: 1 } });
    const track = (now: number, idempotencyKey: string, alsoClaim?: string[]) =>
      ({ op: 'track', env: 'sandbox', now, req: { customerId: 'c', featureId: 'calls', value: 1, idempotencyKey }, ...(alsoClaim ? { alsoClaim } : {}) }) as const;
    await store.run(track(T0, 'a', ['b']));
    const duplicate = { code: 'duplicate_idempotency_key', details: expect.objectContaining({ idempotency_key: 'b', accepted_at: T0 }) };

    // Replayed from the journal alone (the store was not closed, as after kill -9).
    const replayed = loadEngineStates(dir, { sandbox: CATALOG, live: EMPTY });
    expect(() => applyOp(replayed, track(T0 + 1000, 'b'))).toThrow(expect.objectContaining(duplicate));
    // From the snapshot that close() compacts everything into.
    await store.close();
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toBe('');
    const reopened = open(dir);
    // A refusal is thrown at once: nothing was applied, so there is nothing to make durable.
    expect(() => reopened.run(track(T0 + 1000, 'b'))).toThrow(expect.objectContaining(duplicate));
    expect(() => reopened.run(track(T0 + 1000, 'fresh', ['a']))).toThrow(expect.objectContaining({ code: 'duplicate_idempotency_key' }));
    const DAY = 24 * 60 * 60 * 1000;
    expect(() => reopened.run(track(T0 + DAY - 1, 'b'))).toThrow(expect.objectContaining(duplicate));
    await reopened.run(track(T0 + DAY, 'a')); // exactly 24 h later the first key is accepted again…
    await reopened.run(track(T0 + DAY, 'b')); // …and the one that rode on it is free too, not revived
    expect(reopened.states.sandbox.engine.balances('c').calls).toMatchObject({ usage: 3 });
    await reopened.close();
  });
});
