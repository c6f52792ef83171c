import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { REPO_ROOT } from '../support/cli.ts';

/**
 * Configs written for the official CLI (npm:atmn@1.1.25, installed as atmn-upstream) load
 * unchanged: their `import … from 'atmn'` resolves to our DSL. First we prove they are
 * real official configs by type-checking them against the official type declarations.
 */
const dir = join(REPO_ROOT, 'test/fixtures/official');
const files = readdirSync(dir).filter((f) => f.endsWith('.config.ts')).sort();

test('the fixtures type-check against the official atmn 1.1.25 declarations', () => {
  const program = ts.createProgram(
    files.map((f) => join(dir, f)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
      baseUrl: REPO_ROOT,
      paths: { atmn: ['node_modules/atmn-upstream/dist/src/compose/index.d.ts'] },
    },
  );
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
  // The path mapping really went to the official declarations, not to ours.
  expect(program.getSourceFiles().some((f) => f.fileName.includes('atmn-upstream/dist/src/compose/index.d.ts'))).toBe(true);
});

describe('official configs load unchanged', () => {
  test('the docs full example', async () => {
    const { catalog, warnings } = await loadConfig({ cwd: dir, config: 'docs-full-example.config.ts' });
    expect(warnings).toEqual([]);
    expect(Object.keys(catalog.features).sort()).toEqual(['messages', 'seats', 'sso']);
    expect(Object.keys(catalog.plans).sort()).toEqual(['free', 'pro', 'top_up']);
    expect(catalog.plans.pro!.freeTrial).toEqual({ durationLength: 14, durationType: 'day', cardRequired: true });
    expect(catalog.plans.top_up!.items[0]!.price).toEqual({
      rate: { kind: 'flat', amount: 5 }, interval: 'one_off', intervalCount: 1, billingUnits: 100, billingMethod: 'prepaid', maxPurchase: null,
    });
    expect(catalog.plans.free!.autoEnable).toBe(true);
  });

  test('credit systems, tiers, per-seat items, rollover and proration', async () => {
    const { catalog, warnings } = await loadConfig({ cwd: dir, config: 'pricing-patterns.config.ts' });
    expect(warnings).toEqual([]);
    expect(catalog.features.credits!.creditSchema).toEqual([
      { meteredFeatureId: 'basic_model', creditCost: 1 },
      { meteredFeatureId: 'premium_model', creditCost: 5 },
    ]);
    expect(catalog.features.api_calls!.eventNames).toEqual(['api.request']);
    const team = catalog.plans.team!;
    expect(team.group).toBe('main');
    expect(team.items.map((i) => [i.featureId, i.entityFeatureId])).toEqual([
      ['seats', null], ['api_calls', null], ['credits', null], ['premium_model', 'seats'],
    ]);
    expect(team.items[0]!.proration).toEqual({ onIncrease: 'prorate', onDecrease: 'no_action' });
    expect(team.items[2]!.rollover).toEqual({ max: null, maxPercentage: 50, expiryDurationType: 'month', expiryDurationLength: 2 });
  });

  test('billingControls pass through; rewards and referral programs are ignored; a variant warns', async () => {
    const { catalog, warnings } = await loadConfig({ cwd: dir, config: 'extras-and-default-export.config.ts' });
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toEqual(['plans.pro.variants: plan variants are not modelled by atmn and are ignored']);
    expect(Object.keys(catalog.plans)).toEqual(['pro']);
    expect(catalog.plans.pro!.billingControls).toEqual({ spend_limits: [{ feature_id: 'words', enabled: true, overage_limit: 100 }] });
  });
});
