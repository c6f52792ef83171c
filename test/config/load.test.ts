import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importBundled } from '../../src/config/bundle.ts';
import { loadConfig } from '../../src/config/load.ts';
import { AtmnError } from '../../src/errors.ts';
import { tempProject } from '../support/cli.ts';

const SEED = `import { feature, item, plan } from 'atmn';
export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });
export const summaries = feature({ id: 'summaries', name: 'Meeting Summaries', type: 'metered', consumable: true });
export const team = plan({ id: 'team', name: 'Team', price: { amount: 30, interval: 'month' }, items: [
  item({ featureId: seats.id, included: 1, price: { amount: 30, interval: 'month', billingUnits: 1, billingMethod: 'usage_based' } }),
  item({ featureId: summaries.id, included: 50, reset: { interval: 'month' }, entityFeatureId: seats.id }),
] });
`;

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<AtmnError> {
  const error = await loadConfig(options).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AtmnError);
  return error as AtmnError;
}

describe('finding the config', () => {
  test('autumn.config.ts in cwd, or --config as a file or a folder', async () => {
    const dir = tempProject({ 'autumn.config.ts': SEED, 'billing/autumn.config.ts': SEED, 'other.ts': SEED });
    expect((await loadConfig({ cwd: dir })).file).toBe(join(dir, 'autumn.config.ts'));
    expect((await loadConfig({ cwd: dir, config: 'billing' })).file).toBe(join(dir, 'billing/autumn.config.ts'));
    const other = await loadConfig({ cwd: dir, config: 'other.ts' });
    expect(other.file).toBe(join(dir, 'other.ts'));
    expect(other.dir).toBe(dir);
  });

  test('config_not_found names the place and the fix; no folder is created', async () => {
    const dir = tempProject({ 'empty/.keep': '' });
    const none = await loadError({ cwd: dir });
    expect([none.code, none.message, none.hint]).toEqual([
      'config_not_found', 'no autumn.config.ts in the current folder', 'create one with `atmn init`, or point at one with --config path/to/autumn.config.ts',
    ]);
    expect((await loadError({ cwd: dir, config: 'empty' })).message).toBe('no autumn.config.ts in empty');
    expect((await loadError({ cwd: dir, config: 'missing/deep/autumn.config.ts' })).message).toBe('config file missing/deep/autumn.config.ts does not exist');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});

describe('evaluating the config', () => {
  test("relative imports, constants and computed ids work; 'atmn' needs nothing installed", async () => {
    const dir = tempProject({
      'autumn.config.ts': `import { feature, item, plan } from 'atmn';
import { PLAN_PREFIX, perSeat } from './lib/pricing.ts';
import { seats } from './features';
export { seats };
const tiers = ['starter', 'growth'] as const;
export const [starter, growth] = tiers.map((tier, i) => plan({
  id: \`\${PLAN_PREFIX}_\${tier}\`,
  name: tier.toUpperCase(),
  price: { amount: perSeat * (i + 1), interval: 'month' },
  items: [item({ featureId: seats.id, included: 2 ** (i + 1) })],
}));
`,
      'lib/pricing.ts': 'export const PLAN_PREFIX = "team";\nexport const perSeat = 12;\n',
      'features.ts': "import { feature } from 'atmn';\nexport const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });\n",
    });
    const { catalog } = await loadConfig({ cwd: dir });
    expect(Object.keys(catalog.plans).sort()).toEqual(['team_growth', 'team_starter']);
    expect(catalog.plans.team_growth!.price).toEqual({ amount: 24, interval: 'month', intervalCount: 1 });
    expect(catalog.plans.team_growth!.items[0]!.included).toBe(4);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
  });

  test("the user's own packages resolve from beside the config", async () => {
    const dir = tempProject({
      'node_modules/pricing-data/package.json': JSON.stringify({ name: 'pricing-data', type: 'module', exports: './index.js' }),
      'node_modules/pricing-data/index.js': 'export const included = 77;\n',
      'autumn.config.ts': `import { feature, item, plan } from 'atmn';
import { included } from 'pricing-data';
export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });
export const p = plan({ id: 'p', name: 'P', items: [item({ featureId: seats.id, included })] });
`,
    });
    expect((await loadConfig({ cwd: dir })).catalog.plans.p!.items[0]!.included).toBe(77);
  });

  test('a syntax error is config_syntax at file:line:col with the source line', async () => {
    const dir = tempProject({ 'autumn.config.ts': "import { feature } from 'atmn';\n\nexport const seats = feature({ id: 'seats' name: 'Seats' });\n" });
    const error = await loadError({ cwd: dir });
    expect(error.code).toBe('config_syntax');
    expect(error.message).toBe('Expected "}" but found "name"');
    expect(error.location).toEqual({ file: 'autumn.config.ts', line: 3, column: 43, length: 4, lineText: "export const seats = feature({ id: 'seats' name: 'Seats' });" });
  });

  test("a throw is config_runtime at the user's line, also inside an imported helper", async () => {
    const dir = tempProject({
      'autumn.config.ts': "import { build } from './helpers/build.ts';\nexport const plans = build();\n",
      'helpers/build.ts': "export function build() {\n  const table: Record<string, number> = {};\n  if (!table.pro) throw new RangeError('no price for pro');\n  return [];\n}\n",
    });
    const error = await loadError({ cwd: dir });
    expect(error.code).toBe('config_runtime');
    expect(error.message).toBe('the config file threw while it was evaluated: RangeError: no price for pro');
    expect(error.location).toEqual({ file: 'helpers/build.ts', line: 3, column: 24, lineText: "  if (!table.pro) throw new RangeError('no price for pro');" });
  });

  test('the temporary bundle is removed after success and after failure', async () => {
    const dir = tempProject({ 'ok/autumn.config.ts': SEED, 'bad/autumn.config.ts': "throw new Error('x');\n" });
    await loadConfig({ cwd: join(dir, 'ok') });
    await loadError({ cwd: join(dir, 'bad') });
    expect(readdirSync(join(dir, 'ok'))).toEqual(['autumn.config.ts']);
    expect(readdirSync(join(dir, 'bad'))).toEqual(['autumn.config.ts']);
  });

  test("importBundled serves scenario files too: a syntax error there is scenario_invalid", async () => {
    const dir = tempProject({
      'a.scenario.ts': "import { scenario, attach } from 'atmn';\nexport default scenario({ steps: [attach('team')] });\n",
      'b.scenario.ts': 'export default {\n',
    });
    const mod = await importBundled(join(dir, 'a.scenario.ts'), 'scenario');
    expect(mod.default).toEqual({ steps: [{ attach: { plan: 'team' } }] });
    const error = await importBundled(join(dir, 'b.scenario.ts'), 'scenario').then(() => undefined, (e: unknown) => e);
    expect((error as AtmnError).code).toBe('scenario_invalid');
  });

  test('config_invalid carries every issue with a code frame location', async () => {
    const dir = tempProject({
      'autumn.config.ts': "import { feature, item, plan } from 'atmn';\nexport const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });\nexport const p = plan({\n  id: 'p',\n  name: 'P',\n  items: [\n    item({ featureId: 'seat', included: 1 }),\n  ],\n});\n",
    });
    const error = await loadError({ cwd: dir });
    expect(error.code).toBe('config_invalid');
    expect(error.message).toBe('autumn.config.ts is not a valid config');
    expect(error.issues).toEqual([
      {
        path: 'plans.p.items[0].featureId',
        message: "feature 'seat' does not exist",
        hint: "did you mean 'seats'?",
        location: { file: 'autumn.config.ts', line: 7, column: 11, length: 9, lineText: "    item({ featureId: 'seat', included: 1 })," },
      },
    ]);
  });
});
