import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Catalog } from '../../src/catalog/schema.ts';
import { updateConfigSource } from '../../src/codegen/index.ts';
import { canonicalize } from '../../src/sync/index.ts';
import { catalog, feature, item, monthly, plan, teamExample, usagePrice } from '../sync/catalog-builders.ts';
import { loadCatalog } from './load-source.ts';

/** A config as a user writes it: comments, a helper, their own export names, tricky tokens. */
const USER_CONFIG = `// Pricing for Acme. Reviewed by finance, 2024.
import { feature, item, plan } from 'atmn';

const MONTHLY = { interval: 'month' } as const; // shared reset
const note = \`braces { in a template \${'}'} }\`;
const pattern = /plan\\({ id: 'fake' }\\)/; // a regex with braces
/* export const ghost = plan({ id: 'ghost', name: 'Ghost' }); */

/** Seats: one per team member. */
export const seatFeature = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });

export const summaries = feature({
  id: 'summaries',
  name: 'Meeting Summaries', // shown on the pricing page
  type: 'metered',
  consumable: true,
});

// The free tier.
export const free = plan({
  id: 'free',
  name: 'Free',
  autoEnable: true,
  items: [item({ featureId: seatFeature.id, included: 1 }), item({ featureId: summaries.id, included: 5, reset: MONTHLY, entityFeatureId: seatFeature.id })],
});

export const teamPlan = plan({
  id: 'team',
  name: 'Team',
  price: { amount: 30, interval: 'month' },
  items: [
    item({ featureId: seatFeature.id, included: 1, price: { amount: 30, interval: 'month', billingUnits: 1, billingMethod: 'usage_based' } }),
    item({ featureId: summaries.id, included: 50, reset: MONTHLY, entityFeatureId: seatFeature.id }),
  ],
});

export const helpers = { note, pattern };
`;

async function expectLoadsAs(source: string, expected: Catalog): Promise<void> {
  expect(canonicalize(await loadCatalog(source))).toEqual(canonicalize(expected));
}

describe('updateConfigSource', () => {
  test('the user config loads as the team example (test premise)', async () => {
    await expectLoadsAs(USER_CONFIG, teamExample());
  });

  test('in sync (with the loaded catalog given): nothing changes, byte for byte', async () => {
    const current = await loadCatalog(USER_CONFIG);
    const result = updateConfigSource(USER_CONFIG, teamExample(), { current });
    expect(result).toEqual({ source: USER_CONFIG, changed: false, added: [], updated: [], removed: [], unresolved: [], warnings: [] });
  });

  test('one changed plan: only its call is rewritten, keeping the export name, the comments and the other code', async () => {
    const remote = teamExample();
    remote.plans.team!.items[1]!.included = 80;
    const result = updateConfigSource(USER_CONFIG, remote, { current: await loadCatalog(USER_CONFIG) });
    expect(result.updated).toEqual(['plan team']);
    const before = USER_CONFIG.slice(0, USER_CONFIG.indexOf('export const teamPlan'));
    expect(result.source).toBe(`${before}export const teamPlan = plan({
  id: 'team',
  name: 'Team',
  price: { amount: 30, interval: 'month' },
  items: [
    item({
      featureId: seatFeature.id,
      included: 1,
      price: { amount: 30, interval: 'month', billingMethod: 'usage_based' },
    }),
    item({
      featureId: summaries.id,
      included: 80,
      reset: { interval: 'month' },
      entityFeatureId: seatFeature.id,
    }),
  ],
});

export const helpers = { note, pattern };
`);
    await expectLoadsAs(result.source, remote);
  });

  test('without the loaded catalog every call not already in generated form is regenerated, under the user names', async () => {
    const result = updateConfigSource(USER_CONFIG, teamExample());
    expect(result.updated).toEqual(['feature seats', 'feature summaries', 'plan free', 'plan team']);
    expect(result.source).toContain("export const seatFeature = feature({\n  id: 'seats',");
    expect(result.source).toContain('item({ featureId: seatFeature.id, included: 1 }),');
    // comments outside the calls stay; one inside a rewritten call cannot (pass `current` to keep unchanged calls)
    expect(result.source).toContain('// Pricing for Acme. Reviewed by finance, 2024.\n');
    expect(result.source).toContain('/** Seats: one per team member. */\nexport const seatFeature');
    expect(result.source).not.toContain('shown on the pricing page');
    await expectLoadsAs(result.source, teamExample());
    // and a second pass without `current` finds everything already in generated form
    expect(updateConfigSource(result.source, teamExample()).changed).toBe(false);
  });

  test('new remote objects are added: features before the first plan, plans after the last plan', async () => {
    const remote = teamExample();
    remote.features.sso = feature('sso', { name: 'SSO', type: 'boolean', consumable: false });
    remote.plans.enterprise = plan('enterprise', [item('sso'), item('seats', { unlimited: true })]);
    const result = updateConfigSource(USER_CONFIG, remote, { current: await loadCatalog(USER_CONFIG) });
    expect(result.added).toEqual(['feature sso', 'plan enterprise']);
    expect(result.source).toContain(`  consumable: true,
});

export const sso = feature({
  id: 'sso',
  name: 'SSO',
  type: 'boolean',
});

// The free tier.`);
    expect(result.source.endsWith(`    item({ featureId: summaries.id, included: 50, reset: MONTHLY, entityFeatureId: seatFeature.id }),
  ],
});

export const enterprise = plan({
  id: 'enterprise',
  name: 'Enterprise',
  items: [
    item({ featureId: sso.id }),
    item({ featureId: seatFeature.id, unlimited: true }),
  ],
});

export const helpers = { note, pattern };
`)).toBe(true);
    await expectLoadsAs(result.source, remote);
  });

  test('objects the remote no longer has are commented out, with a note, not deleted', async () => {
    const remote = teamExample();
    delete remote.plans.free;
    const result = updateConfigSource(USER_CONFIG, remote, { current: await loadCatalog(USER_CONFIG) });
    expect(result.removed).toEqual(['plan free']);
    expect(result.warnings).toEqual([]);
    expect(result.source).toContain(`// The free tier.
// atmn pull: plan "free" is no longer in Autumn; kept here commented out.
// export const free = plan({
//   id: 'free',
//   name: 'Free',
//   autoEnable: true,
//   items: [item({ featureId: seatFeature.id, included: 1 }), item({ featureId: summaries.id, included: 5, reset: MONTHLY, entityFeatureId: seatFeature.id })],
// });
`);
    await expectLoadsAs(result.source, remote);
  });

  test('ids named like Object.prototype members: one the remote lacks is commented out, one it has is updated', () => {
    const source = `import { feature } from 'atmn';\n\nexport const ctor = feature({ id: 'constructor', name: 'C', type: 'boolean' });\n\nexport const str = feature({ id: 'toString', name: 'T', type: 'boolean' });\n`;
    const remote = catalog([feature('toString', { name: 'T2', type: 'boolean', consumable: false })]);
    const result = updateConfigSource(source, remote);
    expect(result.removed).toEqual(['feature constructor']);
    expect(result.updated).toEqual(['feature toString']);
    expect(result.source).toBe(`import { feature } from 'atmn';

// atmn pull: feature "constructor" is no longer in Autumn; kept here commented out.
// export const ctor = feature({ id: 'constructor', name: 'C', type: 'boolean' });

export const str = feature({
  id: 'toString',
  name: 'T2',
  type: 'boolean',
});
`);
  });

  test('commenting out a variable still used elsewhere warns', () => {
    const remote = teamExample();
    delete remote.plans.free;
    const source = `${USER_CONFIG}export const defaultPlan = free.id;\n`;
    expect(updateConfigSource(source, remote).warnings).toEqual(['plan free was commented out, but `free` is still used elsewhere in the file.']);
  });

  test('no-semicolon style, double quotes and template-literal ids are understood', async () => {
    const source = [
      'import { feature, plan } from "atmn"',
      '',
      'export const api = feature({ id: `api`, name: "API", type: "metered", consumable: true })',
      'export const pro = plan({ id: "pro", name: "Pro" })',
      '',
    ].join('\n');
    const remote = catalog([feature('api', { name: 'API calls' })], [plan('pro', [item('api', { included: 10, reset: monthly })])]);
    const result = updateConfigSource(source, remote);
    expect(result.updated).toEqual(['feature api', 'plan pro']);
    expect(result.source.startsWith('import { feature, plan, item } from "atmn"\n')).toBe(true);
    await expectLoadsAs(result.source, remote);
  });

  test('a feature declared after the plan is referenced by id string, so the file never hits a TDZ error', async () => {
    const source = `import { feature, item, plan } from 'atmn';

export const pro = plan({ id: 'pro', name: 'Pro', items: [item({ featureId: 'api' })] });
export const api = feature({ id: 'api', name: 'Api', type: 'metered', consumable: true });
`;
    const remote = catalog([feature('api')], [plan('pro', [item('api', { included: 3, reset: monthly })])]);
    const result = updateConfigSource(source, remote, { current: await loadCatalog(source) });
    expect(result.source).toContain("item({ featureId: 'api', included: 3, reset: { interval: 'month' } }),");
    await expectLoadsAs(result.source, remote);
  });

  test('an object defined in a way pull cannot edit is reported as unresolved, never added twice', async () => {
    const source = `import { feature, plan } from 'atmn';
const ids = ['a', 'b'];
export const [a, b] = ids.map((id) => feature({ id, name: id, type: 'boolean' }));
`;
    const remote = catalog([feature('a', { type: 'boolean', consumable: false, name: 'a' }), feature('b', { type: 'boolean', consumable: false, name: 'B!' })]);
    const result = updateConfigSource(source, remote, { current: await loadCatalog(source) });
    expect(result).toMatchObject({ changed: false, added: [], unresolved: ['feature b'] });
  });

  test('an empty file becomes a full config', async () => {
    const result = updateConfigSource('', teamExample());
    expect(result.added).toEqual(['feature seats', 'feature summaries', 'plan free', 'plan team']);
    expect(result.source.startsWith("import { feature, item, plan } from 'atmn';\n\nexport const seats = feature({\n")).toBe(true);
    await expectLoadsAs(result.source, teamExample());
  });

  test('a file without an atmn import gets one after its last import', async () => {
    const source = "import { readFileSync } from 'node:fs';\n\nexport const unused = typeof readFileSync;\n";
    const remote = catalog([feature('api')]);
    const result = updateConfigSource(source, remote);
    expect(result.source.startsWith("import { readFileSync } from 'node:fs';\nimport { feature } from 'atmn';\n")).toBe(true);
    await expectLoadsAs(result.source, remote);
  });

  test('update then update again is a no-op (idempotent)', async () => {
    const remote = teamExample();
    remote.plans.team!.items[0]!.price = usagePrice(35);
    remote.features.extra = feature('extra');
    const once = updateConfigSource(USER_CONFIG, remote, { current: await loadCatalog(USER_CONFIG) });
    const twice = updateConfigSource(once.source, remote, { current: await loadCatalog(once.source) });
    expect(twice.changed).toBe(false);
    expect(twice.source).toBe(once.source);
  });
});

describe('updateConfigSource on the shipped templates and example', () => {
  const files = [
    ...(existsSync('templates') ? readdirSync('templates').filter((name) => name.endsWith('.config.ts')).map((name) => join('templates', name)) : []),
    ...(existsSync('autumn.config.example.ts') ? ['autumn.config.example.ts'] : []),
  ];

  test.each(files)('%s: in sync leaves it byte for byte; every plan renamed is edited in place and loads back', async (file) => {
    const source = readFileSync(file, 'utf8');
    const current = await loadCatalog(source);
    expect(updateConfigSource(source, current, { current }).changed).toBe(false);

    const remote: Catalog = structuredClone(current);
    for (const plan of Object.values(remote.plans)) plan.name = `${plan.name} (renamed)`;
    const result = updateConfigSource(source, remote, { current });
    expect([...result.updated].sort()).toEqual(Object.keys(remote.plans).sort().map((id) => `plan ${id}`));
    expect(result).toMatchObject({ added: [], removed: [], unresolved: [] });
    await expectLoadsAs(result.source, remote);
  });

  test.each(files)('%s: without the loaded catalog, regenerating every call still loads back the same catalog', async (file) => {
    const source = readFileSync(file, 'utf8');
    const current = await loadCatalog(source);
    await expectLoadsAs(updateConfigSource(source, current).source, current);
  });
});
