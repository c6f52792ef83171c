import type { BalanceView, BreakdownEntry, Engine, SliceFigures } from '../engine/index.ts';
import type { BalanceChange } from './ledger.ts';

/**
 * The balances a step touched: every raw balance of a customer (rollovers included)
 * before and after a step, compared. Built from the customer-level view, which shows the
 * pool, every slice and every entity-attached balance (semantics R1.8 display set).
 * A snapshot keeps only id → amount; change records are built for the changed few, so a
 * step costs one pass over the balances (the runner reuses each "after" as the next "before").
 */
export interface BalanceSnapshot {
  amounts: Map<string, number>;
  views: Record<string, BalanceView>;
}

export function snapshotBalances(engine: Engine, customerId: string): BalanceSnapshot {
  const views = engine.balances(customerId);
  const amounts = new Map<string, number>();
  forEachBalance(views, (id, amount) => amounts.set(id, amount));
  return { amounts, views };
}

/** Balances that changed or appeared (in the order of the later view), then those that went away. */
export function balanceChanges(customerId: string, before: BalanceSnapshot, after: BalanceSnapshot): BalanceChange[] {
  const changes: BalanceChange[] = [];
  let kept = 0;
  forEachBalance(after.views, (id, amount, entry, slice) => {
    const then = before.amounts.get(id);
    if (then !== undefined) kept++;
    if (then !== amount) changes.push(describe(customerId, id, entry, slice, then ?? null, amount));
  });
  if (kept < before.amounts.size) {
    forEachBalance(before.views, (id, amount, entry, slice) => {
      if (!after.amounts.has(id)) changes.push(describe(customerId, id, entry, slice, amount, null));
    });
  }
  return changes;
}

type Visit = (id: string, amount: number, entry: BreakdownEntry, slice: SliceFigures | null) => void;

function forEachBalance(views: Record<string, BalanceView>, visit: Visit): void {
  for (const featureId in views) {
    for (const entry of views[featureId]!.breakdown) {
      if (entry.entities) {
        for (const slice of entry.entities) visit(slice.balance_id, entry.unlimited ? slice.usage : withRollovers(slice.balance, slice.rollovers), entry, slice);
      } else {
        visit(entry.balance_id, entry.unlimited ? entry.usage : withRollovers(entry.balance, entry.rollovers), entry, null);
      }
    }
  }
}

/** What the balance can still give: its own amount plus its rollovers (R5.6 draws them first). */
function withRollovers(balance: number, rollovers: readonly { balance: number }[]): number {
  let total = balance;
  for (const rollover of rollovers) total += rollover.balance;
  return total;
}

function describe(customerId: string, id: string, entry: BreakdownEntry, slice: SliceFigures | null, before: number | null, after: number | null): BalanceChange {
  return {
    customer_id: customerId,
    balance_id: id,
    feature_id: entry.feature_id,
    plan_id: entry.plan_id,
    owner: entry.owner,
    entity_id: slice ? slice.entity_id : entry.entity_id,
    unlimited: entry.unlimited,
    before,
    after,
  };
}
