import type { Plan } from './schema.ts';

/**
 * A plan uses a feature when one of its items grants it or is per-entity of it. Deciding
 * archive-versus-delete for a removed feature (sync diff, sandbox, `atmn dev`) needs the
 * same answer everywhere.
 */
export function planUsesFeature(plan: Plan, featureId: string): boolean {
  return plan.items.some((item) => item.featureId === featureId || item.entityFeatureId === featureId);
}
