import { planUsesFeature } from '../catalog/references.ts';
import type { Catalog, Feature, Item, Plan } from '../catalog/schema.ts';
import { compareIds } from '../catalog/order.ts';
import { canonicalize } from './canonical.ts';
import type { Change, ChangeSet, DiffContext, FieldChange, HolderInfo, ItemChange, RemovalMode } from './change-set.ts';
import { countOf } from './decisions.ts';
import { itemKey, itemKeyString } from './item-key.ts';
import { ownEntry } from '../catalog/own-entry.ts';

/**
 * diff(local, remote): what push must do so that the remote means what the config means
 * (issue #4 item 2). Both sides are canonicalized first (wire.md §2.3), so defaults and
 * equivalent spellings never make a change. `from` is always the remote value, `to` the config's.
 * Remote objects that are already archived and absent from the config are left alone.
 */
export function diffCatalogs(local: Catalog, remote: Catalog, context: DiffContext = {}): ChangeSet {
  const mine = canonicalize(local);
  const theirs = canonicalize(remote);
  const holders: HolderInfo = context.holders ?? { plans: {}, features: {} };

  const planChanges: Change[] = [];
  for (const id of unionIds(mine.plans, theirs.plans)) planChanges.push(...planChangesFor(id, ownEntry(mine.plans, id), ownEntry(theirs.plans, id), holders));

  const featureChanges: Change[] = [];
  const removals = featureRemovalModes(mine, theirs, planChanges, holders);
  for (const id of unionIds(mine.features, theirs.features)) {
    featureChanges.push(...featureChangesFor(id, ownEntry(mine.features, id), ownEntry(theirs.features, id), removals));
  }
  return { changes: [...featureChanges, ...planChanges] };
}

export function isInSync(changeSet: ChangeSet): boolean {
  return changeSet.changes.length === 0;
}

export interface ChangeSummary {
  create: number;
  update: number;
  remove: number;
}

/** Counts objects, not changes: an unarchive plus an update of one plan is one update. */
export function summarize(changeSet: ChangeSet): ChangeSummary {
  const updated = new Set<string>();
  const summary: ChangeSummary = { create: 0, update: 0, remove: 0 };
  for (const change of changeSet.changes) {
    if (change.kind.endsWith('_create')) summary.create += 1;
    else if (change.kind.endsWith('_remove')) summary.remove += 1;
    else updated.add(`${change.kind.split('_')[0]}:${change.id}`);
  }
  summary.update = updated.size;
  return summary;
}

function featureChangesFor(
  id: string,
  local: Feature | undefined,
  remote: Feature | undefined,
  removals: Map<string, { mode: RemovalMode; reason: string | null }>,
): Change[] {
  if (local && !remote) return [{ kind: 'feature_create', id, feature: local }];
  if (!local && remote) {
    const removal = removals.get(id);
    return removal ? [{ kind: 'feature_remove', id, feature: remote, mode: removal.mode, reason: removal.reason }] : [];
  }
  if (!local || !remote || same(local, remote)) return [];
  const changes: Change[] = [];
  if (remote.archived && !local.archived) changes.push({ kind: 'feature_unarchive', id, feature: local });
  const fields = diffFields(remote, local, ['id', 'archived']);
  if (fields.length > 0) changes.push({ kind: 'feature_update', id, feature: local, previous: remote, fields });
  if (!remote.archived && local.archived) changes.push({ kind: 'feature_archive', id, feature: local });
  return changes;
}

function planChangesFor(id: string, local: Plan | undefined, remote: Plan | undefined, holders: HolderInfo): Change[] {
  const customers = ownEntry(holders.plans, id) ?? 0;
  if (local && !remote) return [{ kind: 'plan_create', id, plan: local }];
  if (!local && remote) {
    if (remote.archived) return [];
    const mode: RemovalMode = customers > 0 ? 'archive' : 'delete';
    return [{ kind: 'plan_remove', id, plan: remote, mode, reason: customers > 0 ? countOf(customers, 'customer') : null, customers }];
  }
  if (!local || !remote || same(local, remote)) return [];
  const changes: Change[] = [];
  if (remote.archived && !local.archived) changes.push({ kind: 'plan_unarchive', id, plan: local });
  const fields = diffFields(remote, local, ['id', 'archived', 'items']);
  const items = diffItems(remote.items, local.items);
  if (fields.length > 0 || items.length > 0) {
    const versioned = items.length > 0 || fields.some((field) => /^(price|freeTrial)(\.|$)/.test(field.field));
    changes.push({ kind: 'plan_update', id, plan: local, previous: remote, fields, items, customers, versioned });
  }
  if (!remote.archived && local.archived) changes.push({ kind: 'plan_archive', id, plan: local });
  return changes;
}

/**
 * A removed feature is archived while anything that survives the push still points at it:
 * a customer balance, an item of a plan that stays (config plans, archived remote plans,
 * plans archived by this push), or the schema of a credit system that stays. Credit systems
 * kept by archiving keep their metered features, so this runs to a fixed point.
 */
function featureRemovalModes(
  local: Catalog,
  remote: Catalog,
  planChanges: Change[],
  holders: HolderInfo,
): Map<string, { mode: RemovalMode; reason: string | null }> {
  const deletedPlans = new Set(planChanges.flatMap((change) => (change.kind === 'plan_remove' && change.mode === 'delete' ? [change.id] : [])));
  const survivingPlans: Plan[] = [
    ...Object.values(local.plans),
    ...Object.values(remote.plans).filter((plan) => !Object.hasOwn(local.plans, plan.id) && !deletedPlans.has(plan.id)),
  ];
  const removed = Object.values(remote.features).filter((feature) => !Object.hasOwn(local.features, feature.id) && !feature.archived);
  const kept = new Map<string, Feature>();
  for (const feature of Object.values(local.features)) kept.set(feature.id, feature);
  for (const feature of Object.values(remote.features)) if (!Object.hasOwn(local.features, feature.id) && feature.archived) kept.set(feature.id, feature);

  const result = new Map<string, { mode: RemovalMode; reason: string | null }>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const feature of removed) {
      if (result.get(feature.id)?.mode === 'archive') continue;
      const reason = referenceReason(feature.id, survivingPlans, kept, holders);
      result.set(feature.id, { mode: reason === null ? 'delete' : 'archive', reason });
      if (reason !== null) {
        kept.set(feature.id, feature);
        changed = true;
      }
    }
  }
  return result;
}

function referenceReason(featureId: string, plans: Plan[], kept: Map<string, Feature>, holders: HolderInfo): string | null {
  const customers = ownEntry(holders.features, featureId) ?? 0;
  if (customers > 0) return countOf(customers, 'customer');
  const plan = plans
    .filter((candidate) => planUsesFeature(candidate, featureId))
    .map((candidate) => candidate.id)
    .sort(compareIds)[0];
  if (plan !== undefined) return `used by plan ${plan}`;
  const creditSystem = [...kept.values()]
    .filter((candidate) => candidate.id !== featureId && candidate.creditSchema.some((entry) => entry.meteredFeatureId === featureId))
    .map((candidate) => candidate.id)
    .sort(compareIds)[0];
  return creditSystem === undefined ? null : `used by credit system ${creditSystem}`;
}

/**
 * Pairs remote and config items, loosest match last: identical items, then same key and
 * billing method, then same key, then the only remaining items of one feature and entity
 * feature (so an interval change reads as a change, not a removal plus an addition).
 */
function diffItems(remote: Item[], local: Item[]): ItemChange[] {
  const pairOf = new Map<number, number>(); // local index → remote index
  const taken = new Set<number>();
  const passes: ((item: Item) => string)[] = [
    (item) => JSON.stringify(item),
    (item) => `${itemKeyString(item)}|${item.price?.billingMethod ?? 'free'}`,
    (item) => itemKeyString(item),
  ];
  for (const keyOf of passes) {
    const remoteKeys = remote.map(keyOf);
    local.forEach((item, localIndex) => {
      if (pairOf.has(localIndex)) return;
      const key = keyOf(item);
      const remoteIndex = remoteKeys.findIndex((candidate, index) => !taken.has(index) && candidate === key);
      if (remoteIndex >= 0) {
        pairOf.set(localIndex, remoteIndex);
        taken.add(remoteIndex);
      }
    });
  }
  const ownerKey = (item: Item): string => `${item.featureId}|${item.entityFeatureId ?? ''}`;
  const leftLocal = local.map((item, index) => ({ item, index })).filter(({ index }) => !pairOf.has(index));
  const leftRemote = remote.map((item, index) => ({ item, index })).filter(({ index }) => !taken.has(index));
  for (const { item, index } of leftLocal) {
    const sameLocal = leftLocal.filter((other) => ownerKey(other.item) === ownerKey(item));
    const sameRemote = leftRemote.filter((other) => ownerKey(other.item) === ownerKey(item));
    if (sameLocal.length === 1 && sameRemote.length === 1) {
      pairOf.set(index, sameRemote[0]!.index);
      taken.add(sameRemote[0]!.index);
    }
  }

  const changes: ItemChange[] = [];
  local.forEach((item, localIndex) => {
    const remoteIndex = pairOf.get(localIndex);
    if (remoteIndex === undefined) {
      changes.push({ change: 'added', key: itemKey(item), item, previous: null, fields: [] });
      return;
    }
    const previous = remote[remoteIndex]!;
    const fields = diffFields(previous, item, ['featureId', 'entityFeatureId']);
    if (fields.length > 0) changes.push({ change: 'changed', key: itemKey(item), item, previous, fields });
  });
  remote.forEach((item, remoteIndex) => {
    if (!taken.has(remoteIndex)) changes.push({ change: 'removed', key: itemKey(item), item, previous: null, fields: [] });
  });
  return changes;
}

/**
 * Field-level changes between two objects, as Catalog paths. Objects are descended into
 * when both sides are objects of the same kind (a flat price and a tiered price are two
 * kinds: the whole rate is reported); arrays and everything else are compared whole.
 */
function diffFields(from: object, to: object, skip: string[]): FieldChange[] {
  const out: FieldChange[] = [];
  const fromRecord = from as Record<string, unknown>;
  const toRecord = to as Record<string, unknown>;
  for (const key of unionKeys(fromRecord, toRecord)) {
    if (skip.includes(key)) continue;
    diffValue(key, fromRecord[key] ?? null, toRecord[key] ?? null, out);
  }
  return out;
}

function diffValue(path: string, from: unknown, to: unknown, out: FieldChange[]): void {
  if (same(from, to)) return;
  if (isPlainObject(from) && isPlainObject(to) && from['kind'] === to['kind']) {
    for (const key of unionKeys(from, to)) diffValue(`${path}.${key}`, from[key] ?? null, to[key] ?? null, out);
    return;
  }
  out.push({ field: path, from, to });
}

/**
 * Equality of canonical values. canonicalize builds every object with a fixed key order
 * (billingControls sorted), so plain JSON text is a faithful and fast comparison.
 */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Keys of `to` in their order, then keys only `from` has. */
function unionKeys(from: Record<string, unknown>, to: Record<string, unknown>): string[] {
  const keys = Object.keys(to);
  for (const key of Object.keys(from)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

function unionIds(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareIds);
}
