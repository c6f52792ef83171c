import type { Engine } from '../engine/index.ts';
import type { BalanceChange } from './ledger.ts';

/**
 * "The balances it touched" (issue 3): every raw balance of a customer (rollovers included)
 * before and after a step, compared. Built from the customer-level view, which shows the pool, every slice
 * and every entity-attached balance (semantics R1.8 display set).
 */
export type BalanceSnapshot = Map<string, Omit<BalanceChange, 'before' | 'after'> & { amount: number }>;

export function snapshotBalances(engine: Engine, customerId: string): BalanceSnapshot {
  const out: BalanceSnapshot = new Map();
  for (const view of Object.values(engine.balances(customerId))) {
    for (const entry of view.breakdown) {
      const common = { feature_id: entry.feature_id, plan_id: entry.plan_id, owner: entry.owner, unlimited: entry.unlimited };
      if (entry.entities) {
        for (const slice of entry.entities) {
          out.set(slice.balance_id, { ...common, balance_id: slice.balance_id, entity_id: slice.entity_id, amount: entry.unlimited ? slice.usage : withRollovers(slice.balance, slice.rollovers) });
        }
      } else {
        out.set(entry.balance_id, { ...common, balance_id: entry.balance_id, entity_id: entry.entity_id, amount: entry.unlimited ? entry.usage : withRollovers(entry.balance, entry.rollovers) });
      }
    }
  }
  return out;
}

/** What the balance can still give: its own amount plus its rollovers (R5.6 draws them first). */
function withRollovers(balance: number, rollovers: readonly { balance: number }[]): number {
  return rollovers.reduce((total, r) => total + r.balance, balance);
}

/** Balances that changed, appeared or went away, in the order of the later snapshot. */
export function balanceChanges(before: BalanceSnapshot, after: BalanceSnapshot): BalanceChange[] {
  const changes: BalanceChange[] = [];
  for (const [id, now] of after) {
    const then = before.get(id);
    if (then && then.amount === now.amount) continue;
    const { amount, ...rest } = now;
    changes.push({ ...rest, before: then ? then.amount : null, after: amount });
  }
  for (const [id, then] of before) {
    if (after.has(id)) continue;
    const { amount, ...rest } = then;
    changes.push({ ...rest, before: amount, after: null });
  }
  return changes;
}
