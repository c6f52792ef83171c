import { expect, test } from 'vitest';
import type { Catalog } from '../../src/catalog/schema.ts';
import { catalogHash, diffCatalogs } from '../../src/sync/index.ts';
import { teamExample } from './catalog-builders.ts';

test('the hash is a sha256 of the canonical catalog, stable across runs', () => {
  expect(catalogHash(teamExample())).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(catalogHash(teamExample())).toBe(catalogHash(teamExample()));
});

test('insertion order of features and plans and the order of items do not change the hash', () => {
  const base = teamExample();
  const shuffled: Catalog = {
    features: Object.fromEntries(Object.entries(base.features).reverse()),
    plans: Object.fromEntries(Object.entries(base.plans).reverse().map(([id, plan]) => [id, { ...plan, items: [...plan.items].reverse() }])),
  };
  expect(catalogHash(shuffled)).toBe(catalogHash(base));
});

test('the hash agrees with the diff: a real change changes it', () => {
  const changed = teamExample();
  changed.plans.team!.items[1]!.included = 51;
  expect(diffCatalogs(changed, teamExample()).changes).toHaveLength(1);
  expect(catalogHash(changed)).not.toBe(catalogHash(teamExample()));
});
