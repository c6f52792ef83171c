import { Autumn } from 'autumn-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pushCatalog, startDevServer, TEAM_CATALOG, type DevServerProcess } from '../server/support/dev-server.ts';

// Issue 5 acceptance: the official server SDK (autumn-js@1.3.13) against `atmn dev`, with
// response validation on and failOpen off, so any shape mismatch or 5xx fails the test.
describe('autumn-js 1.3.13 against atmn dev', () => {
  let s: DevServerProcess;
  let autumn: Autumn;
  beforeAll(async () => {
    s = await startDevServer();
    await pushCatalog(s, TEAM_CATALOG);
    autumn = new Autumn({ secretKey: s.key, serverURL: s.url, failOpen: false });
  });
  afterAll(async () => {
    await s?.stop();
  });

  const summaries = async (entityId?: string) =>
    (await autumn.check({ customerId: 'org_123', featureId: 'summaries', ...(entityId ? { entityId } : {}) })).balance;

  test("the docs' team example: 3 seats × 50 summaries; deleting a seat leaves 100 and one seat fewer", async () => {
    const customer = await autumn.customers.getOrCreate({ customerId: 'org_123', name: 'Acme', email: 'billing@acme.test' });
    expect(customer).toMatchObject({ id: 'org_123', name: 'Acme', email: 'billing@acme.test', env: 'sandbox', licenses: [] });
    expect(customer.subscriptions.map((x) => x.planId)).toEqual(['free']);
    expect(customer.balances.messages).toMatchObject({ featureId: 'messages', granted: 100, remaining: 100, usage: 0 });

    const attached = await autumn.billing.attach({ customerId: 'org_123', planId: 'team' });
    expect(attached).toMatchObject({ customerId: 'org_123', paymentUrl: null });

    for (const id of ['seat_1', 'seat_2', 'seat_3']) {
      const entity = await autumn.entities.create({ customerId: 'org_123', entityId: id, featureId: 'seats', name: id.toUpperCase() });
      expect(entity).toMatchObject({ id, name: id.toUpperCase(), customerId: 'org_123', featureId: 'seats' });
    }
    const seat = await autumn.entities.get({ customerId: 'org_123', entityId: 'seat_2' });
    expect(seat.balances?.summaries).toMatchObject({ granted: 50, remaining: 50 });
    expect(await summaries()).toMatchObject({ granted: 150, remaining: 150, usage: 0 });
    const seatsBefore = (await autumn.check({ customerId: 'org_123', featureId: 'seats' })).balance;
    expect(seatsBefore).toMatchObject({ usage: 3, granted: 1, overageAllowed: true });

    await autumn.entities.delete({ customerId: 'org_123', entityId: 'seat_3' });
    expect(await summaries()).toMatchObject({ granted: 100, remaining: 100 });
    expect((await autumn.check({ customerId: 'org_123', featureId: 'seats' })).balance?.usage).toBe(2);
  });

  test('check and track at customer and entity level', async () => {
    const onSeat = await autumn.track({ customerId: 'org_123', featureId: 'summaries', entityId: 'seat_1', value: 20 });
    expect(onSeat).toMatchObject({ customerId: 'org_123', entityId: 'seat_1', value: 20 });
    expect(onSeat.balance).toMatchObject({ featureId: 'summaries', granted: 50, remaining: 30, usage: 20 });
    const atCustomer = await autumn.track({ customerId: 'org_123', featureId: 'summaries', value: 35 });
    expect(atCustomer.balance).toMatchObject({ granted: 100, remaining: 45, usage: 55 });
    expect(await summaries('seat_1')).toMatchObject({ remaining: 0 });
    expect(await summaries('seat_2')).toMatchObject({ remaining: 45 });

    const allowed = await autumn.check({ customerId: 'org_123', featureId: 'summaries', entityId: 'seat_2', requiredBalance: 45 });
    expect(allowed).toMatchObject({ allowed: true, customerId: 'org_123', entityId: 'seat_2', requiredBalance: 45 });
    const denied = await autumn.check({ customerId: 'org_123', featureId: 'summaries', entityId: 'seat_1' });
    expect(denied.allowed).toBe(false);
    const sso = await autumn.check({ customerId: 'org_123', featureId: 'sso' });
    expect(sso).toMatchObject({ allowed: true, balance: null, flag: { featureId: 'sso', planId: 'team' } });
    const sent = await autumn.check({ customerId: 'org_123', featureId: 'messages', requiredBalance: 10, sendEvent: true });
    expect(sent.balance).toMatchObject({ remaining: 90 });

    // An entity-level plan: seat_2 gets its own 100 messages on top of the customer's pool.
    const seatPlan = await autumn.billing.attach({ customerId: 'org_123', planId: 'free', entityId: 'seat_2' });
    expect(seatPlan).toMatchObject({ customerId: 'org_123', entityId: 'seat_2', paymentUrl: null });
    expect((await autumn.check({ customerId: 'org_123', featureId: 'messages', entityId: 'seat_2' })).balance).toMatchObject({ granted: 200, remaining: 190 });
    const seatTrack = await autumn.track({ customerId: 'org_123', featureId: 'messages', entityId: 'seat_2', value: 150 });
    expect(seatTrack.balance).toMatchObject({ granted: 200, remaining: 40, usage: 160 });
    expect((await autumn.check({ customerId: 'org_123', featureId: 'messages', entityId: 'seat_1' })).balance).toMatchObject({ granted: 100, remaining: 40 });
  });

  test('customer reads and the test clock validate too', async () => {
    const got = await autumn.customers.get({ customerId: 'org_123' });
    expect(got.subscriptions.map((x) => [x.planId, x.status, x.scope])).toEqual([['free', 'active', 'customer'], ['team', 'active', 'customer'], ['free', 'active', 'entity']]);
    const advanced = await autumn.customers.advanceTestClock({ customerId: 'org_123', frozenTime: got.createdAt + 32 * 24 * 3600 * 1000 });
    expect(advanced.status).toBe('ready');
    expect(await summaries('seat_1')).toMatchObject({ remaining: 50 });

    // The month boundary billed the next base price and, in arrears, the one seat beyond the included one.
    const invoices = await autumn.invoices.list({ customerId: 'org_123' });
    expect(invoices.nextCursor).toBeNull();
    expect(invoices.list.map((i) => [i.total, i.amountPaid, i.status, i.currency, i.planIds, i.customerId, i.entityId])).toEqual([
      [30, 30, 'paid', 'usd', ['team'], 'org_123', null],
      [60, 60, 'paid', 'usd', ['team'], 'org_123', null],
    ]);
    expect(invoices.list[1]!.items?.map((l) => [l.description, l.featureName, l.quantity, l.amount])).toEqual([
      ['team: base price', null, null, 30],
      ['team: Seats, 1 billable (in arrears)', 'Seats', 1, 30],
    ]);
  });

  test('customers.list and entities.list page with cursors; customers.delete removes', async () => {
    await autumn.customers.getOrCreate({ customerId: 'temp_1', name: 'Temp' });
    const first = await autumn.customers.list({ limit: 1 });
    expect([first.list.map((c) => c.id), first.nextCursor]).toEqual([['org_123'], '1']);
    const second = await autumn.customers.list({ limit: 1, startCursor: first.nextCursor! });
    expect([second.list.map((c) => c.id), second.nextCursor]).toEqual([['temp_1'], null]);
    expect((await autumn.customers.list({ search: 'TEMP' })).list.map((c) => c.id)).toEqual(['temp_1']);

    const seats = await autumn.entities.list({ customerId: 'org_123' });
    expect([seats.list.map((e) => [e.id, e.customerId]), seats.nextCursor]).toEqual([[['seat_1', 'org_123'], ['seat_2', 'org_123']], null]);
    expect(seats.list[0]!.balances?.summaries).toMatchObject({ granted: 50 });

    expect(await autumn.customers.delete({ customerId: 'temp_1' })).toEqual({ success: true });
    await expect(autumn.customers.get({ customerId: 'temp_1' })).rejects.toMatchObject({ statusCode: 404 });
    expect((await autumn.customers.list({})).list.map((c) => c.id)).toEqual(['org_123']);
  });

  test('errors reach the SDK as errors with the status, never as a fake allow', async () => {
    await expect(autumn.check({ customerId: 'nobody', featureId: 'summaries' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(autumn.track({ customerId: 'org_123', featureId: 'sumaries' })).rejects.toMatchObject({ statusCode: 404 });
    const wrongKey = new Autumn({ secretKey: 'am_sk_test_nope', serverURL: s.url, failOpen: false });
    await expect(wrongKey.check({ customerId: 'org_123', featureId: 'summaries' })).rejects.toMatchObject({ statusCode: 401 });
  });
});
