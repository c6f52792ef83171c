import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, tempProject } from '../support/cli.ts';
import { startDevServer } from '../server/support/dev-server.ts';

// `atmn dev` as a user drives it (issue 5 item 1; design.md "One local state").
const TEAM = `import { feature, item, plan } from 'atmn';

export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });
export const summaries = feature({ id: 'summaries', name: 'Meeting Summaries', type: 'metered', consumable: true });

export const free = plan({
  id: 'free',
  name: 'Free',
  autoEnable: true,
  items: [
    item({ featureId: seats.id, included: 1 }),
    item({ featureId: summaries.id, included: 10, reset: { interval: 'month' }, entityFeatureId: seats.id }),
  ],
});

// $30 / month
export const team = plan({
  id: 'team',
  name: 'Team',
  price: { amount: 30, interval: 'month' },
  items: [
    item({ featureId: seats.id, included: 1, price: { amount: 30, interval: 'month', billingUnits: 1, billingMethod: 'usage_based' } }),
    item({ featureId: summaries.id, included: 50, reset: { interval: 'month' }, entityFeatureId: seats.id }),
  ],
});
`;

describe('atmn dev and the shared .atmn/ state', () => {
  test('plans pushed to the embedded sandbox are served by a later atmn dev; a sandbox push is refused while it runs', async () => {
    const project = tempProject({ 'autumn.config.ts': TEAM });
    const pushed = await runCli(['push', '--yes'], { cwd: project });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain('local sandbox');

    const server = await startDevServer({ cwd: project, dataDir: null });
    try {
      expect(server.stdout()).toMatch(/state\s+\.atmn \(2 features, 2 plans\)/);
      const plans = (await server.post('/v1/plans.list', {})).body.list;
      expect(plans.map((p: any) => p.id)).toEqual(['free', 'team']);
      expect(readFileSync(join(project, '.gitignore'), 'utf8')).toContain('.atmn/');

      const blocked = await runCli(['push', '--yes'], { cwd: project });
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain(`atmn dev (pid ${server.child.pid}) is serving .atmn`);
      expect(blocked.stderr).toContain(`--url http://127.0.0.1:${new URL(server.url).port}`);

      // Through the server: our CLI sends the key from .atmn/keys.json to a loopback URL.
      const edited = TEAM.replace("price: { amount: 30, interval: 'month' }", "price: { amount: 35, interval: 'month' }");
      const viaServer = tempProject({ 'autumn.config.ts': edited });
      const diff = await runCli(['diff', '--url', server.url], { cwd: project });
      expect(diff.code, diff.stderr).toBe(0);
      expect(diff.stderr).toContain('the dev server key from .atmn/keys.json');
      const push = await runCli(['push', '--url', server.url, '--yes'], { cwd: viaServer, env: { AUTUMN_SECRET_KEY: server.key } });
      expect(push.code, push.stdout + push.stderr).toBe(0);
      expect((await server.post('/v1/plans.get', { plan_id: 'team' })).body.price).toEqual({ amount: 35, interval: 'month' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // After the server stops, the embedded sandbox sees what was pushed through it.
    const after = await runCli(['diff'], { cwd: project });
    expect(after.code).toBe(2);
    expect(after.stdout).toContain('35');
  });

  test('holders recorded by atmn dev make a later sandbox push archive instead of delete', async () => {
    const project = tempProject({ 'autumn.config.ts': TEAM });
    expect((await runCli(['push', '--yes'], { cwd: project })).code).toBe(0);
    const server = await startDevServer({ cwd: project, dataDir: null });
    await server.post('/v1/customers.get_or_create', { customer_id: 'org_1' });
    await server.post('/v1/billing.attach', { customer_id: 'org_1', plan_id: 'team' });
    await server.stop();
    const holders = JSON.parse(readFileSync(join(project, '.atmn/sandbox/holders.json'), 'utf8'));
    expect(holders).toMatchObject({ plans: { free: 1, team: 1 }, features: { seats: 1, summaries: 1 } });
    const withoutTeam = TEAM.slice(0, TEAM.indexOf('// $30 / month'));
    writeFileSync(join(project, 'autumn.config.ts'), withoutTeam);
    const push = await runCli(['push', '--yes', '--allow-delete'], { cwd: project });
    expect(push.code, push.stdout + push.stderr).toBe(0);
    const stored = JSON.parse(readFileSync(join(project, '.atmn/sandbox/catalog.json'), 'utf8'));
    expect(stored.catalog.plans.team.archived).toBe(true);
  });

  test('--key, --reset and --entity-order', async () => {
    const project = tempProject({ 'autumn.config.ts': TEAM });
    expect((await runCli(['push', '--yes'], { cwd: project })).code).toBe(0);
    const first = await startDevServer({ cwd: project, dataDir: null, args: ['--key', 'am_sk_test_mine'] });
    expect(first.key).toBe('am_sk_test_mine');
    await first.post('/v1/customers.get_or_create', { customer_id: 'org_1' });
    await first.stop();

    const reset = await startDevServer({ cwd: project, dataDir: null, args: ['--reset', '--entity-order', 'id'] });
    try {
      expect(reset.key).toBe('am_sk_test_mine'); // keys.json kept
      expect((await reset.post('/v1/customers.get', { customer_id: 'org_1' })).status).toBe(404);
      expect((await reset.post('/v1/plans.list', {})).body.list).toHaveLength(2); // the catalog is kept
      // Example 5.B: with entityOrder "id", "user-10" is drained before "user-9".
      await reset.post('/v1/customers.get_or_create', { customer_id: 'o', auto_enable_plan_id: 'team' });
      for (const id of ['user-9', 'user-10']) await reset.post('/v1/entities.create', { customer_id: 'o', entity_id: id, feature_id: 'seats' });
      await reset.post('/v1/balances.track', { customer_id: 'o', feature_id: 'summaries', value: 70 });
      const left = async (id: string) => (await reset.post('/v1/balances.check', { customer_id: 'o', feature_id: 'summaries', entity_id: id })).body.balance.remaining;
      expect([await left('user-9'), await left('user-10')]).toEqual([30, 0]);
    } finally {
      await reset.stop();
    }
  });

  test('bad flags exit 1 with a message', async () => {
    const project = tempProject({});
    const port = await runCli(['dev', '--port', 'eighty'], { cwd: project });
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('--port must be a number from 0 to 65535; got "eighty"');
    const key = await runCli(['dev', '--port', '0', '--key', 'secret'], { cwd: project });
    expect(key.code).toBe(1);
    expect(key.stderr).toContain('--key must look like an Autumn secret key');
    const config = await runCli(['dev', '--config', 'missing.config.ts'], { cwd: project });
    expect(config.code).toBe(1);
    expect(config.stderr).toContain('missing.config.ts does not exist');
  });

  test('a file where the state folder or a state file should be: exit 1 naming it, no stack trace', async () => {
    const project = tempProject({ 'state.txt': 'not a folder', 'd/keys.json/.keep': '', 'j/engine.journal.jsonl/.keep': '' });
    const cases: [string, string, string][] = [
      ['state.txt', 'The state folder state.txt is a file, not a folder.', 'Give atmn dev a folder with --data DIR'],
      ['d', `Cannot read ${join(project, 'd', 'keys.json')}: it is a folder, not a file (EISDIR).`, 'Move that folder out of the way'],
      ['j', `Cannot read ${join(project, 'j', 'engine.journal.jsonl')}: it is a folder, not a file (EISDIR).`, 'Move that folder out of the way'],
    ];
    for (const [data, message, hint] of cases) {
      const res = await runCli(['dev', '--port', '0', '--data', data], { cwd: project });
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toContain(message);
      expect(res.stderr).toContain(hint);
      expect(res.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(existsSync(join(project, data, 'dev.lock'))).toBe(false);
    }
  });
});
