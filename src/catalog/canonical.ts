import { sortedIds } from './order.ts';
import type { Catalog } from './schema.ts';

/**
 * The Catalog with features and plans in sorted id order (design.md: everything rendered
 * from a Catalog lists them so). Items keep their declared order (semantics R1.4).
 */
export function sortedCatalog(catalog: Catalog): Catalog {
  const features: Catalog['features'] = {};
  for (const id of sortedIds(catalog.features)) features[id] = catalog.features[id]!;
  const plans: Catalog['plans'] = {};
  for (const id of sortedIds(catalog.plans)) plans[id] = catalog.plans[id]!;
  return { features, plans };
}
