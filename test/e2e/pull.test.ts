import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/schema.ts';
import { canonicalize } from '../../src/sync/index.ts';
import { REPO_ROOT, runCli, tempProject, type CliResult } from '../support/cli.ts';
import { startWireServer, type Json, type WireServer } from '../support/wire-server.ts';

/** Issue #4 item 5: pull → codegen; round trip is a tested invariant (pull then diff exits 0). */

const EXAMPLE = readFileSync(join(REPO_ROOT, 'autumn.config.example.ts'), 'utf8');
const TEMPLATES = readdirSync(join(REPO_ROOT, 'templates')).filter((f) => f.endsWith('.config.ts')).sort();

const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(): Promise<WireServer> {
  const s = await startWireServer();
  servers.push(s);
  return s;
}

function atmn(s: WireServer, cwd: string, args: string[]): Promise<CliResult> {
  return runCli(args, { cwd, env: { ATMN_BACKEND_URL: s.url, AUTUMN_SECRET_KEY: s.key } });
}

async function catalogOf(dir: string): Promise<Catalog> {
  const result = await runCli(['validate', '--json'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { catalog: Catalog }).catalog;
}

describe('pull round trip', () => {
  it('has templates to test', () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(1);
  });

  for (const name of ['autumn.config.example.ts', ...TEMPLATES]) {
    it(`${name}: push, pull into an empty folder, then diff exits 0 and the config is equivalent`, async () => {
      const source = readFileSync(join(REPO_ROOT, name === 'autumn.config.example.ts' ? name : `templates/${name}`), 'utf8');
      const s = await server();
      const original = tempProject({ 'autumn.config.ts': source });
      expect((await atmn(s, original, ['push', '--yes'])).code).toBe(0);

      const fresh = tempProject();
      const pull = await atmn(s, fresh, ['pull']);
      expect(pull.code, pull.stderr).toBe(0);
      expect(pull.stdout).toMatch(/^Wrote autumn\.config\.ts with \d+ features? and \d+ plans? from http:\/\/127\.0\.0\.1:\d+\.\n$/);
      const pulled = readFileSync(join(fresh, 'autumn.config.ts'), 'utf8');
      expect(pulled.startsWith("import { ")).toBe(true);
      expect(pulled).toContain("from 'atmn';");
      const diff = await atmn(s, fresh, ['diff']);
      expect(diff.code, diff.stdout + diff.stderr).toBe(0);
      expect(canonicalize(await catalogOf(fresh))).toEqual(canonicalize(await catalogOf(original)));

      // Pulling again changes nothing and writes no backup.
      const again = await atmn(s, fresh, ['pull']);
      expect(again).toMatchObject({ code: 0, stdout: 'autumn.config.ts is already up to date with ' + s.url + '.\n' });
      expect(existsSync(join(fresh, 'autumn.config.ts.bak'))).toBe(false);
    });
  }
});

describe('pull into an existing config', () => {
  it('updates in place, keeps comments, prints the unified diff, writes a backup first', async () => {
    const s = await server();
    const edited = EXAMPLE.replace("price: { amount: 30, interval: 'month' },", "price: { amount: 35, interval: 'month' },");
    expect((await atmn(s, tempProject({ 'autumn.config.ts': edited }), ['push', '--yes'])).code).toBe(0);

    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const pull = await atmn(s, dir, ['pull']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stdout).toContain('--- a/autumn.config.ts\n+++ b/autumn.config.ts\n@@ ');
    expect(pull.stdout).toContain("\n-  price: { amount: 30, interval: 'month' },\n+  price: { amount: 35, interval: 'month' },\n");
    expect(pull.stderr).toContain('Updated autumn.config.ts from ' + s.url + ' (2 features and 2 plans); the previous version is in autumn.config.ts.bak.');
    const after = readFileSync(join(dir, 'autumn.config.ts'), 'utf8');
    expect(after).toContain('// New customers start here: one free seat with 10 summaries a month.');
    expect(after).toContain('// $30 / month with one seat included');
    expect(readFileSync(join(dir, 'autumn.config.ts.bak'), 'utf8')).toBe(EXAMPLE);
    expect((await atmn(s, dir, ['diff'])).code).toBe(0);
  });

  it('--force rewrites the file (backup kept); --json reports it', async () => {
    const s = await server();
    expect((await atmn(s, tempProject({ 'autumn.config.ts': EXAMPLE }), ['push', '--yes'])).code).toBe(0);
    const dir = tempProject({ 'autumn.config.ts': `// my notes\n${EXAMPLE}` });
    const pull = await atmn(s, dir, ['pull', '--force', '--json']);
    expect(pull.code).toBe(0);
    const doc = JSON.parse(pull.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ format_version: 1, status: 'overwritten', file: 'autumn.config.ts', backup: 'autumn.config.ts.bak' });
    expect(doc.diff).toContain('-// my notes\n');
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).not.toContain('my notes');
    expect(readFileSync(join(dir, 'autumn.config.ts.bak'), 'utf8')).toBe(`// my notes\n${EXAMPLE}`);
    expect((await atmn(s, dir, ['diff'])).code).toBe(0);
  });

  it('refuses to update a file that does not parse, and leaves it untouched; --force rewrites it', async () => {
    const s = await server();
    expect((await atmn(s, tempProject({ 'autumn.config.ts': EXAMPLE }), ['push', '--yes'])).code).toBe(0);
    const broken = "import { feature } from 'atmn';\nexport const seats = feature({ id: 'seats', name: 'Seats'\n";
    const dir = tempProject({ 'autumn.config.ts': broken });
    const refused = await atmn(s, dir, ['pull']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.split('\n').slice(1).join('\n')).toBe([
      'autumn.config.ts:3:0: error: autumn.config.ts cannot be parsed, so pull cannot update it in place: Expected "}" but found end of file',
      '    3 │ ',
      '        ~',
      '  hint: Fix the file at the place shown, or run `atmn pull --force` to rewrite it (a backup is kept).',
      '',
    ].join('\n'));
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toBe(broken);
    expect(existsSync(join(dir, 'autumn.config.ts.bak'))).toBe(false);

    expect((await atmn(s, dir, ['pull', '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'autumn.config.ts.bak'), 'utf8')).toBe(broken);
    expect((await atmn(s, dir, ['diff'])).code).toBe(0);
  });

  it('a config path it cannot write is a clear error, not a crash', async () => {
    const s = await server();
    expect((await atmn(s, tempProject({ 'autumn.config.ts': EXAMPLE }), ['push', '--yes'])).code).toBe(0);
    const dir = tempProject({ notes: 'a file, not a folder' });
    const result = await atmn(s, dir, ['pull', '--config', 'notes/pricing/autumn.config.ts']);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').slice(1).join('\n')).toBe([
      'error: Cannot write notes/pricing/autumn.config.ts: a part of the path is a file, not a folder (ENOTDIR).',
      '  hint: Move that file out of the way, or choose another path.',
      '',
    ].join('\n'));
  });

  it('refuses to empty a config from an empty remote unless --force', async () => {
    const s = await server();
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const refused = await atmn(s, dir, ['pull']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error: ${s.url} has no features or plans; pulling would remove everything from autumn.config.ts.`);
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toBe(EXAMPLE);
  });
});

describe('pull from hosted-shaped data', () => {
  it('normalises hosted reads (derived resets, legacy types, "" group, max 0) so pull then diff exits 0', async () => {
    const s = await server();
    const features: Json[] = [
      { id: 'seats', name: 'Seats', type: 'continuous_use', consumable: false, event_names: [], archived: false, display: { singular: 'seat', plural: 'seats' } },
      { id: 'calls', name: 'API Calls', type: 'single_use', event_names: ['api_call', 'batch_call'], archived: false },
      { id: 'sso', name: 'SSO', type: 'boolean', consumable: false, event_names: [], archived: false },
      { id: 'gpt', name: 'GPT credits', type: 'ai_credit_system', consumable: true, event_names: [], archived: false, model_markups: {}, default_markup: 0 },
    ];
    const plans: Json[] = [{
      id: 'pro', name: 'Pro', description: null, group: '', version: 3, add_on: false, auto_enable: false,
      price: { amount: 49, interval: 'month', display: { primary_text: '$49' } },
      items: [
        { feature_id: 'seats', included: 3, unlimited: false, pooled: false, entity_feature_id: null, reset: null,
          price: { amount: 15, interval: 'month', billing_units: 1, billing_method: 'usage_based', max_purchase: null } },
        { feature_id: 'calls', included: 1000, unlimited: false, pooled: false, entity_feature_id: 'seats', reset: { interval: 'month' },
          price: { tiers: [{ to: 5000, amount: 0.002 }, { to: 'inf', amount: 0.001 }], tier_behavior: 'graduated', interval: 'month', billing_units: 1, billing_method: 'usage_based', max_purchase: null },
          rollover: { max: 0, expiry_duration_type: 'month', expiry_duration_length: 1 } },
        { feature_id: 'sso', included: 0, unlimited: false, pooled: false, entity_feature_id: null, reset: null, price: null },
      ],
      free_trial: { duration_length: 14, duration_type: 'day', card_required: false },
      created_at: 1, env: 'sandbox', archived: false, config: { ignore_past_due: false }, metadata: {}, base_variant_id: null, licenses: [],
    }, {
      id: 'pro_annual', name: 'Pro (annual)', description: null, group: '', version: 1, add_on: false, auto_enable: false, price: null, items: [],
      free_trial: null, created_at: 2, env: 'sandbox', archived: false, variant_details: { base_plan_id: 'pro', customize: {} },
    }];
    s.seed(features, plans);
    const dir = tempProject();
    const pull = await atmn(s, dir, ['pull']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.stderr).toContain('warning: feature gpt: ai_credit_system features are not modelled by atmn; left untouched on the remote.');
    expect(pull.stderr).toContain('warning: plan pro_annual: a variant of plan "pro"; variants are not modelled by atmn and are left untouched.');
    const source = readFileSync(join(dir, 'autumn.config.ts'), 'utf8');
    expect(source).toContain('entityFeatureId: seats.id');
    expect(source).not.toContain('gpt');
    const diff = await atmn(s, dir, ['diff']);
    expect(diff.code, diff.stdout).toBe(0);
    // The skipped objects are left alone by push too.
    const before = s.writeCount();
    expect((await atmn(s, dir, ['push', '--yes', '--allow-delete'])).code).toBe(0);
    expect(s.writeCount()).toBe(before);
  });
});
