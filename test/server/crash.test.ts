import { appendFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCatalogState } from '../../src/server/catalog-persistence.ts';
import { JOURNAL_FILE, loadEngineStates } from '../../src/store/engine-store.ts';
import { pushCatalog, startDevServer, type DevServerProcess } from './support/dev-server.ts';

// Issue 5 acceptance: "a load of tracks, kill -9 mid-way, restart: every track that got a
// 2xx is in the balances and the event log; nothing else is".
const START = 10_000_000;
const CATALOG = {
  features: [{ feature_id: 'calls', name: 'Calls', type: 'metered', consumable: true }],
  plans: [{ plan_id: 'bulk', name: 'Bulk', auto_enable: true, licenses: [], items: [{ feature_id: 'calls', included: START }] }],
  rewards: [],
  referral_programs: [],
  skip_deletions: false,
};

/** What the journal on disk says, read the way a restarted server reads it. */
function eventsOnDisk(dataDir: string) {
  const catalog = loadCatalogState(dataDir, 'sandbox', 0).latest();
  const states = loadEngineStates(dataDir, { sandbox: catalog, live: { features: {}, plans: {} } });
  return states.sandbox.engine.events('c').filter((e) => e.source === 'track');
}

function track(server: DevServerProcess, agent: Agent, i: number): Promise<number> {
  const body = JSON.stringify({ customer_id: 'c', feature_id: 'calls', value: valueOf(i), idempotency_key: `k${i}`, properties: { i } });
  return new Promise((resolve, reject) => {
    const req = httpRequest(server.url + '/v1/balances.track', {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const valueOf = (i: number) => (i % 7) + 1;

describe('durability under kill -9', () => {
  test('every acknowledged track survives, nothing unacknowledged appears twice or from nowhere', async () => {
    const first = await startDevServer();
    await pushCatalog(first, CATALOG);
    await first.post('/v1/customers.get_or_create', { customer_id: 'c' });

    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const acked = new Set<number>();
    const refused = new Set<number>();
    const sent = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const i = next++;
        sent.add(i);
        try {
          const status = await track(first, agent, i);
          if (status === 200) acked.add(i);
          else refused.add(i);
        } catch {
          return; // the connection died with the server: outcome unknown
        }
      }
    };
    const workers = Array.from({ length: 32 }, worker);
    const waitingSince = Date.now();
    while (acked.size < 1500) {
      if (first.child.exitCode !== null || Date.now() - waitingSince > 30_000) throw new Error(`only ${acked.size} tracks acknowledged:\n${first.stderr()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    killed = true;
    await first.crash();
    await Promise.all(workers);
    agent.destroy();
    expect(refused.size).toBe(0);

    const second = await startDevServer({ dataDir: first.dataDir });
    try {
      const balance = (await second.post('/v1/balances.check', { customer_id: 'c', feature_id: 'calls' })).body.balance;
      // A key that was acknowledged is claimed after the restart.
      const someAcked = [...acked].slice(0, 20);
      for (const i of someAcked) {
        const again = await second.post('/v1/balances.track', { customer_id: 'c', feature_id: 'calls', idempotency_key: `k${i}` });
        expect(again.status, `k${i}`).toBe(409);
      }
      expect(await second.stop()).toBe(0);

      const events = eventsOnDisk(first.dataDir);
      const logged = events.map((e) => Number(e.properties?.i));
      expect(new Set(logged).size).toBe(logged.length); // no event twice
      for (const i of acked) expect(logged.includes(i), `acknowledged track ${i} is in the event log`).toBe(true);
      for (const i of logged) expect(sent.has(i), `event ${i} was sent`).toBe(true);
      // Unacknowledged tracks may be in the log only if they were in flight at the kill.
      const inFlight = [...sent].filter((i) => !acked.has(i));
      expect(logged.filter((i) => !acked.has(i)).every((i) => inFlight.includes(i))).toBe(true);
      const used = events.reduce((sum, e) => sum + e.applied, 0);
      expect(used).toBe(logged.reduce((sum, i) => sum + valueOf(i), 0));
      expect(balance).toMatchObject({ granted: START, usage: used, remaining: START - used });
    } finally {
      await second.stop();
    }
  }, 60_000);

  test('a torn last journal line is dropped at start and reported; everything before it is kept', async () => {
    const server = await startDevServer();
    await pushCatalog(server, CATALOG);
    await server.post('/v1/customers.get_or_create', { customer_id: 'c' });
    await server.post('/v1/balances.track', { customer_id: 'c', feature_id: 'calls', value: 5 });
    await server.crash();
    appendFileSync(join(server.dataDir, JOURNAL_FILE), '{"seq":99,"op":"track","env":"sandbox","now":1,"req":{"customerId":"c","fea');

    const again = await startDevServer({ dataDir: server.dataDir });
    try {
      expect(again.stdout()).toMatch(/\d+ journal entries replayed, a torn last journal line \(\d+ bytes\) dropped/);
      const balance = (await again.post('/v1/balances.check', { customer_id: 'c', feature_id: 'calls' })).body.balance;
      expect(balance.usage).toBe(5);
    } finally {
      await again.stop();
    }
  }, 30_000);
});
