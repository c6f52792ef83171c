import type { Feature, Item } from '../catalog/schema.ts';
import type { BalanceView, BreakdownEntry, FlagView } from '../engine/index.ts';
import { featureToApi, itemPriceToWire } from '../remote/wire.ts';

/** The plan item behind a breakdown entry: the item of the version its attachment was made with. */
export type ItemLookup = (attachmentId: string, planId: string, itemIndex: number) => Item | null;

/**
 * Balance and Flag objects of wire.md §5.1 from the engine's R4.4 views. autumn-js
 * requires the first eight Balance keys and every SDK key of a breakdown entry; the engine
 * extras (owner, entity_id, granted, …) are sent too.
 */
export function balanceToWire(view: BalanceView, lookup: ItemLookup, feature?: Feature): Record<string, unknown> {
  const out: Record<string, unknown> = {
    feature_id: view.feature_id,
    granted: view.granted,
    remaining: view.remaining,
    usage: view.usage,
    unlimited: view.unlimited,
    overage_allowed: view.overage_allowed,
    max_purchase: view.max_purchase,
    next_reset_at: view.next_reset_at,
    breakdown: view.breakdown.map((entry) => breakdownToWire(entry, lookup)),
    rollovers: view.rollovers.map((r) => ({ granted: r.granted, balance: r.balance, expires_at: r.expires_at })),
  };
  if (feature) out.feature = featureToApi(feature);
  return out;
}

function breakdownToWire(entry: BreakdownEntry, lookup: ItemLookup): Record<string, unknown> {
  const item = entry.billing === 'free' ? null : lookup(entry.attachment_id, entry.plan_id, entry.item_index);
  const out: Record<string, unknown> = {
    id: entry.balance_id,
    plan_id: entry.plan_id,
    included_grant: entry.included_grant,
    prepaid_grant: entry.prepaid_grant,
    remaining: entry.remaining,
    usage: entry.usage,
    unlimited: entry.unlimited,
    reset: entry.reset ? { interval: entry.reset.interval, interval_count: entry.reset.interval_count, resets_at: entry.next_reset_at } : null,
    price: item?.price ? breakdownPrice(item.price) : null,
    expires_at: entry.expires_at,
    // engine extras (wire.md §5.1 "Engine extras, also sent")
    owner: entry.owner,
    entity_id: entry.entity_id,
    granted: entry.granted,
    next_reset_at: entry.next_reset_at,
    overage_allowed: entry.overage_allowed,
    max_purchase: entry.max_purchase,
    deductible: entry.deductible,
  };
  if (entry.entities) out.entities = entry.entities;
  return out;
}

/** The SDK's breakdown price: the item price without its interval keys. */
function breakdownPrice(price: NonNullable<Item['price']>): Record<string, unknown> {
  const wire = itemPriceToWire(price);
  const out: Record<string, unknown> = {};
  if ('amount' in wire) out.amount = wire.amount;
  if ('tiers' in wire) {
    out.tiers = wire.tiers;
    out.tier_behavior = wire.tier_behavior;
  }
  out.billing_units = wire.billing_units;
  out.billing_method = wire.billing_method;
  out.max_purchase = wire.max_purchase;
  return out;
}

export function flagToWire(flag: FlagView, feature?: Feature): Record<string, unknown> {
  const out: Record<string, unknown> = { id: flag.id, plan_id: flag.plan_id, expires_at: flag.expires_at, feature_id: flag.feature_id };
  if (feature) out.feature = featureToApi(feature);
  return out;
}
