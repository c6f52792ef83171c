import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Catalog } from '../../src/catalog/schema.ts';
import { generateConfigSource } from '../../src/codegen/index.ts';
import { canonicalize, diffCatalogs } from '../../src/sync/index.ts';
import { catalog, feature, item, monthly, plan, teamExample } from '../sync/catalog-builders.ts';
import { loadCatalog } from './load-source.ts';
import { richCatalog } from './rich-catalog.ts';

/**
 * The round trip is the invariant of pull (issue #4 item 5): Catalog → source → written to a
 * real file → bundled, evaluated and validated by the real loader → the same canonical Catalog,
 * and so an empty diff.
 */
async function expectRoundTrip(original: Catalog): Promise<void> {
  const loaded = await loadCatalog(generateConfigSource(original));
  expect(canonicalize(loaded)).toEqual(canonicalize(original));
  expect(diffCatalogs(loaded, original).changes).toEqual([]);
}

describe('codegen round trip through the real loader', () => {
  test('the seat-based team example', async () => {
    await expectRoundTrip(teamExample());
  });

  test('every field, ids that are not identifiers, strings that need escaping, archived and entityFeatureId', async () => {
    await expectRoundTrip(richCatalog());
  });

  test('an empty catalog', async () => {
    await expectRoundTrip(catalog([]));
  });

  test('generating from the loaded catalog gives the same bytes (a fixed point)', async () => {
    const source = generateConfigSource(richCatalog());
    expect(generateConfigSource(await loadCatalog(source))).toBe(source);
  });

  const configs = [
    ...readdirSync('templates').filter((name) => name.endsWith('.config.ts')).sort().map((name) => join('templates', name)),
    'autumn.config.example.ts',
  ];
  test('every template and the example are round-tripped', () => {
    expect(configs).toEqual([
      'templates/ai-credits.config.ts', 'templates/chat.config.ts', 'templates/infra.config.ts',
      'templates/issue-tracker.config.ts', 'templates/team.config.ts', 'autumn.config.example.ts',
    ]);
  });
  test.each(configs)('template and example configs survive load → generate → load: %s', async (file) => {
    const original = await loadCatalog(readFileSync(file, 'utf8'));
    await expectRoundTrip(original);
  });

  test('property: any names, descriptions, ids and amounts survive (fast-check)', async () => {
    const id = fc.stringMatching(/^[a-zA-Z0-9_-]{1,12}$/);
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    const amount = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }));
    const scenario = fc.record({
      featureIds: fc.uniqueArray(id, { minLength: 1, maxLength: 5 }),
      planIds: fc.uniqueArray(id, { minLength: 0, maxLength: 4 }),
      names: fc.array(text, { minLength: 9, maxLength: 9 }),
      description: fc.option(text, { nil: null }),
      group: fc.option(text.filter((value) => value !== ''), { nil: null }),
      included: amount,
      price: amount,
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ featureIds, planIds, names, description, group, included, price }) => {
        const features = featureIds.map((featureId, index) => feature(featureId, { name: names[index]!, eventNames: [names[8]!] }));
        const plans = planIds.map((planId, index) =>
          plan(planId, [item(featureIds[0]!, { included, reset: monthly })], {
            name: names[5 + (index % 3)]!,
            description,
            group,
            price: { amount: price, interval: 'month', intervalCount: 1 },
          }),
        );
        await expectRoundTrip(catalog(features, plans));
      }),
      { numRuns: 25, seed: 4 },
    );
  }, 60_000);
});
