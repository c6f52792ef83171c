import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, runCli, tempProject, type CliResult } from '../support/cli.ts';
import { startDevServer, type DevServerProcess } from '../server/support/dev-server.ts';

// Issue 5 acceptance: the official CLI (npm atmn@1.1.25, installed as atmn-upstream) pushes
// and pulls through `atmn dev` as it would through hosted Autumn; our CLI then sees no diff.
const UPSTREAM_BIN = join(REPO_ROOT, 'node_modules/atmn-upstream/dist/cli.js');

const CONFIG = `import { feature, item, plan } from 'atmn';

export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });
export const messages = feature({ id: 'messages', name: 'Messages', type: 'metered', consumable: true });
export const sso = feature({ id: 'sso', name: 'SSO', type: 'boolean' });

export const free = plan({
  id: 'free',
  name: 'Free',
  autoEnable: true,
  items: [
    item({ featureId: seats.id, included: 3 }),
    item({ featureId: messages.id, included: 50, entityFeatureId: seats.id, reset: { interval: 'month' } }),
  ],
});

export const pro = plan({
  id: 'pro',
  name: 'Pro',
  description: 'For growing teams',
  price: { amount: 20, interval: 'month' },
  items: [
    item({ featureId: seats.id, included: 5, price: { amount: 10, interval: 'month', billingMethod: 'usage_based', billingUnits: 1 } }),
    item({ featureId: messages.id, included: 1000, entityFeatureId: seats.id, reset: { interval: 'month' }, price: { amount: 0.01, interval: 'month', billingMethod: 'usage_based', billingUnits: 100 } }),
    item({ featureId: sso.id }),
  ],
});
`;

/** A project folder whose `atmn` import is the official package (the official CLI loads configs with jiti). */
function upstreamProject(files: Record<string, string>): string {
  const dir = tempProject(files);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules/atmn-upstream'), join(dir, 'node_modules/atmn'), 'dir');
  return dir;
}

function upstream(args: string[], cwd: string, server: DevServerProcess): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, { ATMN_BACKEND_URL: server.url, AUTUMN_SECRET_KEY: server.key, ATMN_DISABLE_AUTH_RECOVERY: '1', NO_COLOR: '1', CI: '1' });
    const child = spawn(process.execPath, [UPSTREAM_BIN, '--headless', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

describe('the official atmn CLI (1.1.25) against atmn dev', () => {
  let server: DevServerProcess;
  const project = upstreamProject({ 'autumn.config.ts': CONFIG });
  const pulled = upstreamProject({});
  beforeAll(async () => {
    server = await startDevServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('push creates the catalog', async () => {
    const res = await upstream(['push', '-y'], project, server);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('Features created: messages, seats, sso');
    expect(res.stdout).toContain('Plans created: free, pro');
    const plans = (await server.post('/v1/plans.list', {})).body.list;
    expect(plans.map((p: any) => p.id)).toEqual(['free', 'pro']);
    expect(plans[0].items[1]).toMatchObject({ feature_id: 'messages', entity_feature_id: 'seats', included: 50, reset: { interval: 'month' } });
  });

  test('a second push reports that everything is in sync', async () => {
    const res = await upstream(['push', '-y'], project, server);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('Already in sync');
  });

  test('pull writes an equivalent config', async () => {
    const res = await upstream(['pull', '-f'], pulled, server);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('Pulled 3 features, 2 plans');
    const config = readFileSync(join(pulled, 'autumn.config.ts'), 'utf8');
    expect(config).toContain("entityFeatureId: 'seats'");
    expect(config).toContain("description: 'For growing teams'");
  });

  test.each([
    ['the pushed config', () => project],
    ['the pulled config', () => pulled],
  ])('our CLI: `atmn diff --url` on %s shows no diff (exit 0)', async (_label, dir) => {
    const res = await runCli(['diff', '--url', server.url], { cwd: dir(), env: { AUTUMN_SECRET_KEY: server.key } });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('No changes');
  });
});
