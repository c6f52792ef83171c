import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempProject, type CliResult } from '../support/cli.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';

/**
 * Issue #4 acceptance against a real HTTP server on 127.0.0.1 speaking the wire format,
 * driving the built CLI as a subprocess.
 */

const EXAMPLE = readFileSync(join(REPO_ROOT, 'autumn.config.example.ts'), 'utf8');
const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Parameters<typeof startWireServer>[0] = {}): Promise<WireServer> {
  const s = await startWireServer(options);
  servers.push(s);
  return s;
}

/** Runs atmn against `s`, and checks that the full key never reaches any output. */
async function atmn(s: WireServer, cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await runCli(args, { cwd, env: { ATMN_BACKEND_URL: s.url, AUTUMN_SECRET_KEY: s.key, ...env } });
  for (const key of [s.key, env.AUTUMN_SECRET_KEY].filter(Boolean)) {
    expect(result.stdout + result.stderr).not.toContain(key);
  }
  return result;
}

const writes = (s: WireServer) => s.requests.filter((r) => r.method !== 'GET' && /^\/v1\/(features|products)(\/|$|\?)/.test(r.path));

beforeAll(() => {
  // The tests drive dist/; `npm test` builds first.
}, 1000);

describe('push and diff over HTTP', () => {
  it('first push creates everything with the exact wire bodies; the second says in sync', async () => {
    const s = await server();
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const first = await atmn(s, dir, ['push', '--yes']);
    expect(first.stderr).toBe(`Target: ${s.url} (from ATMN_BACKEND_URL) with AUTUMN_SECRET_KEY from the environment (am_sk_test_…abcd)\n`);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Plan: 4 to create, 0 to update, 0 to remove.');
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe(`Applied 4 changes to ${s.url}.`);

    expect(writes(s).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/features', 'POST /v1/features', 'POST /v1/products', 'POST /v1/products',
    ]);
    const bodies = Object.fromEntries(writes(s).map((r) => [(r.body as { id: string }).id, r.body]));
    expect(bodies.seats).toEqual({ id: 'seats', name: 'Seats', type: 'metered', consumable: false, event_names: [] });
    expect(bodies.team).toEqual({
      id: 'team', name: 'Team', description: null, group: 'main', add_on: false, auto_enable: false,
      price: { amount: 30, interval: 'month' },
      items: [
        { feature_id: 'seats', included: 1, price: { amount: 30, interval: 'month', billing_units: 1, billing_method: 'usage_based', max_purchase: null } },
        { feature_id: 'summaries', included: 50, entity_feature_id: 'seats', reset: { interval: 'month' } },
      ],
      free_trial: null,
    });
    for (const r of s.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${s.key}`);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-api-version']).toBe(r.path.startsWith('/v1/catalog.') ? '2.2.0' : '2.1.0');
    }
    expect(s.plans().free!.items).toEqual([
      { feature_id: 'seats', included: 1, unlimited: false, pooled: false, entity_feature_id: null, reset: null, price: null },
      { feature_id: 'summaries', included: 10, unlimited: false, pooled: false, entity_feature_id: 'seats', reset: { interval: 'month' }, price: null },
    ]);

    const before = s.writeCount();
    const second = await atmn(s, dir, ['push', '--yes']);
    expect(second).toMatchObject({ code: 0, stdout: 'No changes. Remote is in sync with autumn.config.ts.\n' });
    expect(s.writeCount()).toBe(before);
    expect((await atmn(s, dir, ['diff'])).code).toBe(0);
  });

  it('after an edit, diff exits 2 and shows exactly the change; push applies only that', async () => {
    const s = await server();
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    expect((await atmn(s, dir, ['push', '--yes'])).code).toBe(0);
    const edited = EXAMPLE.replace("price: { amount: 30, interval: 'month' },", "price: { amount: 35, interval: 'month' },")
      .replace('included: 50,', 'included: 60,');
    const dir2 = tempProject({ 'autumn.config.ts': edited });
    const diff = await atmn(s, dir2, ['diff']);
    expect(diff.code).toBe(2);
    expect(diff.stdout).toBe([
      '  ~ plan team',
      '      price.amount: 30 → 35',
      '      ~ summaries (per seats, month)',
      '          included: 50 → 60',
      '',
      'Plan: 0 to create, 1 to update, 0 to remove.',
      '',
    ].join('\n'));
    const plan = await atmn(s, dir2, ['plan', '--json']);
    expect(plan.code).toBe(2);
    const envelope = JSON.parse(plan.stdout) as Record<string, unknown>;
    expect(envelope).toMatchObject({ format_version: 1, status: 'changes_pending', in_sync: false, summary: { create: 0, update: 1, remove: 0 }, decisions: [] });
    expect(envelope.target).toEqual({
      kind: 'url', name: s.url, url: s.url, chosen_by: 'ATMN_BACKEND_URL', environment: 'sandbox', production: false,
      key: { variable: 'AUTUMN_SECRET_KEY', source: 'process env', redacted: 'am_sk_test_…abcd' }, state_dir: null,
    });

    const before = writes(s).length;
    const push = await atmn(s, dir2, ['push', '--yes']);
    expect(push.code).toBe(0);
    expect(writes(s).slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/products/team']);
    expect(s.plans().team).toMatchObject({ price: { amount: 35, interval: 'month' }, version: 1 });
    expect((await atmn(s, dir2, ['diff'])).code).toBe(0);
  });

  it('a removal without --allow-delete leaves the remote untouched (exit 3); with it, deletes or archives', async () => {
    const s = await server();
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    expect((await atmn(s, dir, ['push', '--yes'])).code).toBe(0);
    const withoutFree = EXAMPLE.slice(0, EXAMPLE.indexOf('// New customers start here'))
      + EXAMPLE.slice(EXAMPLE.indexOf('// $30 / month'));
    const dir2 = tempProject({ 'autumn.config.ts': withoutFree });
    const before = s.writeCount();
    const refused = await atmn(s, dir2, ['push', '--yes']);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('  - plan free');
    expect(refused.stderr).toContain('error: push needs a decision that no flag granted; nothing was written.\n  ? plan free is not in the config and would be deleted: add --allow-delete\n');
    expect(s.writeCount()).toBe(before);
    expect(Object.keys(s.plans())).toEqual(['free', 'team']);

    const json = await atmn(s, dir2, ['push', '--yes', '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'needs_decision',
      decisions: [{ kind: 'allow_delete', entity: 'plan', id: 'free', flag: '--allow-delete' }],
    });

    // Held by customers: archived, not deleted.
    s.setPlanHolders({ free: 2 });
    const archived = await atmn(s, dir2, ['push', '--yes', '--allow-delete']);
    expect(archived.code).toBe(0);
    expect(writes(s).at(-1)).toMatchObject({ method: 'POST', path: '/v1/products/free', body: { archived: true } });
    expect(s.plans().free!.archived).toBe(true);
    expect((await atmn(s, dir2, ['diff'])).code).toBe(0);

    // Nobody holds it: deleted with every version.
    const s2 = await server();
    expect((await atmn(s2, dir, ['push', '--yes'])).code).toBe(0);
    const deleted = await atmn(s2, dir2, ['push', '--yes', '--allow-delete']);
    expect(deleted.code).toBe(0);
    expect(writes(s2).at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/products/free?all_versions=true' });
    expect(Object.keys(s2.plans())).toEqual(['team']);
  });

  it('a changed plan with customers needs --versioning (exit 3), then applies the chosen intent', async () => {
    const s = await server({ planHolders: { team: 3 } });
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    expect((await atmn(s, dir, ['push', '--yes'])).code).toBe(0);
    const dir2 = tempProject({ 'autumn.config.ts': EXAMPLE.replace('included: 50,', 'included: 80,') });
    const before = s.writeCount();
    const refused = await atmn(s, dir2, ['push', '--yes']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('? plan team has 3 customers and its items change: add --versioning new|current|all');
    expect(s.writeCount()).toBe(before);

    const granted = await atmn(s, dir2, ['push', '--yes', '--versioning', 'new']);
    expect(granted.code).toBe(0);
    expect(writes(s).at(-1)!.body).toMatchObject({ id: 'team', force_version: true });
    expect(s.planVersions('team').map((p) => p.version)).toEqual([1, 2]);

    const dir3 = tempProject({ 'autumn.config.ts': EXAMPLE.replace('included: 50,', 'included: 90,') });
    expect((await atmn(s, dir3, ['push', '--yes', '--versioning', 'current'])).code).toBe(0);
    expect(writes(s).at(-1)!.body).toMatchObject({ disable_version: true });
    expect(s.planVersions('team').map((p) => p.version)).toEqual([1, 2]);

    const dir4 = tempProject({ 'autumn.config.ts': EXAMPLE.replace('included: 50,', 'included: 95,') });
    expect((await atmn(s, dir4, ['push', '--yes', '--versioning', 'all'])).code).toBe(0);
    expect(writes(s).at(-1)!.body).toMatchObject({ id: 'team', all_versions: true });
    expect(s.planVersions('team').map((p) => (p.items as { included: number }[])[1]!.included)).toEqual([95, 95]);
  });

  it('--dry-run and a non-TTY push without --yes write nothing', async () => {
    const s = await server();
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const dry = await atmn(s, dir, ['push', '--dry-run']);
    expect(dry.code).toBe(2);
    const noYes = await atmn(s, dir, ['push']);
    expect(noYes.code).toBe(1);
    expect(noYes.stderr).toContain('error: push needs --yes to apply changes when it cannot ask (no terminal, CI, or --json).');
    const jsonNoYes = await atmn(s, dir, ['push', '--json']);
    expect(jsonNoYes.code).toBe(1);
    expect(JSON.parse(jsonNoYes.stdout)).toMatchObject({ status: 'error', error: { code: 'usage' } });
    expect(s.writeCount()).toBe(0);
  });

  it('push --json prints exactly one envelope listing what was applied', async () => {
    const s = await server();
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const result = await atmn(s, dir, ['push', '--yes', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ format_version: 1, status: 'applied', failed: [], not_applied: [] });
    expect(doc.applied).toEqual([
      { action: 'create', entity: 'feature', id: 'seats' },
      { action: 'create', entity: 'feature', id: 'summaries' },
      { action: 'create', entity: 'plan', id: 'free' },
      { action: 'create', entity: 'plan', id: 'team' },
    ]);
  });

  it('push --json reports a partial failure exactly: applied, failed, not applied (exit 1)', async () => {
    const s = await server();
    s.failWrite(3);
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const result = await atmn(s, dir, ['push', '--yes', '--json']);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ format_version: 1, status: 'partial_failure' });
    type Step = { action: string; entity: string; id: string; error?: { code: string; message: string } };
    const [applied, failed, notApplied] = [doc.applied, doc.failed, doc.not_applied] as Step[][];
    // The two plans are written concurrently (one phase), so which one is the 3rd write varies.
    expect(failed).toHaveLength(1);
    const plan = failed![0]!.id;
    expect(failed![0]).toEqual({
      action: 'create', entity: 'plan', id: plan,
      error: { code: 'internal_error', message: `The server at ${s.url} refused to create plan ${plan}: injected failure on write 3 (500 internal_error)` },
    });
    expect(applied!.slice(0, 2)).toEqual([
      { action: 'create', entity: 'feature', id: 'seats' },
      { action: 'create', entity: 'feature', id: 'summaries' },
    ]);
    const listed = [...applied!, ...failed!, ...notApplied!].map((step) => `${step.entity} ${step.id}`).sort();
    expect(listed).toEqual(['feature seats', 'feature summaries', 'plan free', 'plan team']);
    expect(Object.keys(s.plans()).sort()).toEqual(applied!.filter((step) => step.entity === 'plan').map((step) => step.id).sort());
  });

  it('a rejected key names its source and target, never the key', async () => {
    const s = await server();
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE, '.env.local': 'AUTUMN_SECRET_KEY=am_sk_test_wrongwrongwrong9876\n' });
    const result = await runCli(['diff'], { cwd: dir, env: { ATMN_BACKEND_URL: s.url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe([
      `Target: ${s.url} (from ATMN_BACKEND_URL) with AUTUMN_SECRET_KEY from .env.local (am_sk_test_…9876)`,
      `error: The server at ${s.url} rejected AUTUMN_SECRET_KEY from .env.local (am_sk_test_…9876): Invalid secret key. The valid keys are printed when the server starts.`,
      '  hint: Set AUTUMN_SECRET_KEY (environment, .env.local or .env) to a key this server accepts.',
      '',
    ].join('\n'));
    expect(result.stderr + result.stdout).not.toContain('am_sk_test_wrongwrongwrong9876');
  });

  it('retries reads on 503 and reports an unreachable server clearly', async () => {
    const s = await server();
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    s.failReads(2);
    expect((await atmn(s, dir, ['diff'])).code).toBe(2);
    const closed = await startWireServer();
    await closed.close(); // its port now refuses connections
    const dead = await runCli(['diff', '--url', closed.url], { cwd: dir, env: { AUTUMN_SECRET_KEY: s.key } });
    expect(dead.code).toBe(1);
    expect(dead.stderr.split('\n').slice(1).join('\n')).toMatch(
      /^error: Could not reach http:\/\/127\.0\.0\.1:\d+ to (read the features|read the plans|learn which plans have customers): connection refused \(ECONNREFUSED\)\.\n {2}hint: Is `atmn dev` \(or your local server\) running on that port\?\n$/,
    );
  });

  it('pushes and pulls entityFeatureId and archived faithfully', async () => {
    const s = await server();
    const archivedConfig = EXAMPLE.replace("id: 'free',\n  name: 'Free',", "id: 'free',\n  name: 'Free',\n  archived: true,");
    const dir = tempProject({ 'autumn.config.ts': archivedConfig });
    expect((await atmn(s, dir, ['push', '--yes'])).code).toBe(0);
    expect(s.plans().free).toMatchObject({ archived: true });
    expect((s.plans().team!.items as { entity_feature_id: string | null }[]).map((i) => i.entity_feature_id)).toEqual([null, 'seats']);
    const fresh = tempProject();
    expect((await atmn(s, fresh, ['pull'])).code).toBe(0);
    const pulled = readFileSync(join(fresh, 'autumn.config.ts'), 'utf8');
    expect(pulled).toContain('archived: true');
    expect(pulled).toContain('entityFeatureId: seats.id');
    expect((await atmn(s, fresh, ['diff'])).code).toBe(0);
  });
});

describe('atmn env', () => {
  it('shows target, organization, environment and key source', async () => {
    const s = await server({ org: { id: 'org_1', name: 'Acme Inc', slug: 'acme' } });
    const dir = tempProject();
    const text = await atmn(s, dir, ['env']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe([
      `Target:       ${s.url}`,
      'Chosen by:    ATMN_BACKEND_URL',
      'Organization: Acme Inc (acme)',
      'Environment:  sandbox',
      'Key:          AUTUMN_SECRET_KEY from the environment (am_sk_test_…abcd)',
      '',
    ].join('\n'));
    const json = JSON.parse((await atmn(s, dir, ['env', '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ format_version: 1, organization: { id: 'org_1', name: 'Acme Inc', slug: 'acme', env: 'sandbox' }, environment: 'sandbox' });
  });
});
