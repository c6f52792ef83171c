import type { BalanceView } from '../engine/index.ts';
import type { OwnFigures } from './ledger.ts';

/**
 * An entity's own figures per feature: its slices and its entity-attached balances, the
 * inherited customer pool left out, so that the rows of the per-entity table add up.
 */
export function ownFigures(views: Record<string, BalanceView>, entityId: string): Record<string, OwnFigures> {
  const out: Record<string, OwnFigures> = {};
  for (const [featureId, view] of Object.entries(views)) {
    const own = view.breakdown.filter((entry) => entry.owner !== 'customer' && entry.entity_id === entityId);
    if (own.length === 0) continue;
    out[featureId] = {
      granted: sum(own.map((e) => (e.unlimited ? 0 : e.granted))),
      remaining: sum(own.map((e) => (e.unlimited ? 0 : e.remaining))),
      usage: sum(own.map((e) => e.usage)),
      unlimited: own.some((e) => e.unlimited),
    };
  }
  return out;
}

// Display figures only: the report rounds them to 6 decimals (format.ts), which hides float noise.
function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
