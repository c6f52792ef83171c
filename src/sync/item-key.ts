import type { Item } from '../catalog/schema.ts';
import type { ItemKey } from './change-set.ts';

/**
 * The key items are matched by (wire.md §2.3): feature, entity feature, and the effective
 * interval, so a feature may appear twice with different intervals and reordering items
 * never makes a change. Call it on canonical items: a reset equal to the price interval is
 * then gone, and the key falls back to the price's interval.
 */
export function itemKey(item: Item): ItemKey {
  const source = item.reset ?? item.price;
  return {
    featureId: item.featureId,
    entityFeatureId: item.entityFeatureId,
    interval: source ? source.interval : null,
    intervalCount: source ? source.intervalCount : null,
  };
}

export function itemKeyString(item: Item): string {
  const key = itemKey(item);
  return [key.featureId, key.entityFeatureId ?? '', key.interval ?? '', key.intervalCount ?? ''].join('|');
}

/** How an item is named in rendered output: `messages (per seats, month)`. */
export function describeItemKey(key: ItemKey): string {
  const parts: string[] = [];
  if (key.entityFeatureId !== null) parts.push(`per ${key.entityFeatureId}`);
  if (key.interval !== null) parts.push(key.intervalCount !== null && key.intervalCount !== 1 ? `every ${key.intervalCount} ${key.interval}` : key.interval);
  return parts.length > 0 ? `${key.featureId} (${parts.join(', ')})` : key.featureId;
}
