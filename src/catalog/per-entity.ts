import type { Plan } from './schema.ts';

/** A per-entity item of a plan: each live entity of `entityFeatureId` gets its own slice. */
export interface PerEntityItem {
  itemIndex: number;
  featureId: string;
  entityFeatureId: string;
}

/**
 * Which items of a plan are per-entity, and for which entity feature (issue #2, item 8).
 * The engine, codegen and the validate summary call this instead of re-deriving it.
 */
export function perEntityItems(plan: Plan): PerEntityItem[] {
  const out: PerEntityItem[] = [];
  plan.items.forEach((item, itemIndex) => {
    if (item.entityFeatureId !== null) {
      out.push({ itemIndex, featureId: item.featureId, entityFeatureId: item.entityFeatureId });
    }
  });
  return out;
}
