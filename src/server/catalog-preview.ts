import { z } from 'zod';
import type { Catalog, Feature, Plan } from '../catalog/schema.ts';
import { featureToApi, planToApi } from '../remote/wire.ts';
import { diffCatalogs, type Change, type PlanUpdateChange } from '../sync/index.ts';
import { ownEntry } from '../catalog/own-entry.ts';
import type { CatalogState, PlanVersion, VersioningFlags } from './catalog-state.ts';
import { featureFromBody, mergePlan, planFromBody } from './catalog-writes.ts';
import { versionHolders, type Holders } from './dev-runtime.ts';
import { parseInput } from './input.ts';
import { resourceChanges, type ResourceChange, type ResourceRequest } from './catalog-resources.ts';
import type { Environment } from './router.ts';

/**
 * `catalog.preview_update` (wire.md §4.1–§4.2): what `catalog.update` would do with the
 * whole config that atmn sends. Change detection is our sync diff (canonical forms, the
 * §2.3 equivalences), so a pull → push round trip previews "none" everywhere. The result
 * carries both the wire preview and the writes that `catalog.update` then applies (§4.3).
 */

const Entry = z.record(z.string(), z.unknown());
const CatalogUpdateBody = z.object({
  features: z.array(Entry).default([]),
  plans: z.array(Entry).default([]),
  rewards: z.array(Entry).optional(),
  referral_programs: z.array(Entry).optional(),
  skip_deletions: z.boolean().default(true),
  skip_feature_ids: z.array(z.string()).default([]),
  skip_plan_ids: z.array(z.string()).default([]),
});

export interface PlannedPlanWrite {
  plan: Plan;
  /** null for a new plan. */
  target: PlanVersion | null;
  flags: VersioningFlags;
  held: boolean;
}

export interface CatalogPreview {
  wire: {
    feature_changes: Record<string, unknown>[];
    plan_changes: Record<string, unknown>[];
    reward_changes: ResourceChange[];
    referral_program_changes: ResourceChange[];
  };
  writes: {
    features: Feature[];
    plans: PlannedPlanWrite[];
    removePlans: { id: string; archive: boolean }[];
    removeFeatures: { id: string; archive: boolean }[];
    resources: ResourceRequest;
  };
  /** Ids of the requested (not skipped) objects, for the update response. */
  requested: { features: string[]; plans: string[] };
}

export function previewCatalogUpdate(catalog: CatalogState, rawBody: unknown, holders: Holders, env: Environment): CatalogPreview {
  const body = parseInput(CatalogUpdateBody, rawBody);
  const stored = catalog.latest();
  const skipFeatures = new Set(body.skip_feature_ids);
  const skipPlans = new Set(body.skip_plan_ids);

  // The requested state, laid over the stored one (an absent plan key keeps the stored value).
  const features: Record<string, Feature> = { ...stored.features };
  const featureIds: string[] = [];
  const skippedFeatureIds: string[] = [];
  body.features.forEach((entry, index) => {
    const id = String(entry.feature_id ?? entry.id ?? '');
    if (skipFeatures.has(id)) return void skippedFeatureIds.push(id);
    const feature = featureFromBody(entry, id, features, `features[${index}].`);
    features[id] = { ...feature, archived: ownEntry(stored.features, id)?.archived ?? false };
    featureIds.push(id);
  });
  const plans: Record<string, Plan> = { ...stored.plans };
  const planEntries: { id: string; entry: Record<string, unknown>; target: PlanVersion | null }[] = [];
  const skippedPlanIds: string[] = [];
  body.plans.forEach((entry, index) => {
    const id = String(entry.plan_id ?? entry.id ?? '');
    if (skipPlans.has(id)) return void skippedPlanIds.push(id);
    const at = `plans[${index}].`;
    const target = catalog.hasPlan(id) ? catalog.planVersion(id, typeof entry.version === 'number' ? entry.version : undefined) : null;
    plans[id] = target ? mergePlan(target.plan, entry, features, at) : planFromBody(entry, id, features, at);
    planEntries.push({ id, entry, target });
  });

  // Compare the requested objects with what they replace (the pinned version, when one is named).
  // Without skip_deletions the requested end state is only what the request lists or skips, so
  // the diff's removals are those of §4.2: archived while held or still referenced, else deleted.
  const remote: Catalog = { features: stored.features, plans: { ...stored.plans } };
  for (const { id, target } of planEntries) if (target) remote.plans[id] = target.plan;
  const local: Catalog = body.skip_deletions
    ? { features, plans }
    : { features: pick(features, [...featureIds, ...skipFeatures]), plans: pick(plans, [...planEntries.map((p) => p.id), ...skipPlans]) };
  const changes = diffCatalogs(local, remote, {
    holders: { plans: Object.fromEntries(holders.plans), features: Object.fromEntries(holders.features) },
  }).changes;
  const featureUpdate = new Map<string, Change>();
  const planUpdate = new Map<string, PlanUpdateChange>();
  /** id → archive (true) or delete (false). */
  const planRemoval = new Map<string, boolean>();
  const featureRemoval = new Map<string, boolean>();
  for (const c of changes) {
    if (c.kind === 'feature_update') featureUpdate.set(c.id, c);
    if (c.kind === 'plan_update') planUpdate.set(c.id, c);
    if (c.kind === 'plan_remove') planRemoval.set(c.id, c.mode === 'archive');
    if (c.kind === 'feature_remove') featureRemoval.set(c.id, c.mode === 'archive');
  }

  const wireFeatures: Record<string, unknown>[] = [];
  const writeFeatures: Feature[] = [];
  for (const id of featureIds) {
    const feature = features[id]!;
    const before = ownEntry(stored.features, id);
    if (!before) {
      wireFeatures.push(featureChange(id, 'create', feature, null, false, null));
      writeFeatures.push(feature);
    } else if (featureUpdate.has(id)) {
      const kindChanged = before.type !== feature.type || before.consumable !== feature.consumable;
      const inUse = (holders.features.get(id) ?? 0) > 0 || catalog.plansUsingFeature(id).length > 0;
      const blocked = kindChanged && inUse;
      wireFeatures.push(featureChange(id, 'update', feature, changedKeys(featureToApi(before), featureToApi(feature)), blocked, blocked ? 'has_customers' : null));
      if (!blocked) writeFeatures.push(feature);
    } else {
      wireFeatures.push(featureChange(id, 'none', feature, null, false, null));
    }
  }

  const wirePlans: Record<string, unknown>[] = [];
  const writePlans: PlannedPlanWrite[] = [];
  for (const { id, entry, target } of planEntries) {
    const plan = plans[id]!;
    const flags = intentFlags(entry);
    const customers = holders.plans.get(id) ?? 0;
    const held = target !== null && versionHolders(holders, id, target.version) > 0;
    const update = planUpdate.get(id);
    const action = target === null ? 'created' : update ? 'updated' : 'none';
    const versionable = action === 'updated' && update!.versioned && !flags.disable_version && !flags.all_versions && (held || flags.force_version === true);
    const resultVersion = target === null ? 1 : versionable ? catalog.planVersion(id).version + 1 : target.version;
    wirePlans.push({
      plan_id: id,
      action,
      variants: variantPreviews(entry),
      versionable,
      will_archive: false,
      has_customers: customers > 0,
      customer_count: customers,
      plan: planToApi(plan, features, { version: resultVersion, createdAt: target?.createdAt ?? 0, env }),
      item_changes: update ? itemChanges(update, features) : target === null ? plan.items.map((item) => ({ action: 'created', feature_id: item.featureId, item: itemWire(plan, item, features) })) : [],
      ...(update && JSON.stringify(update.previous.price) !== JSON.stringify(update.plan.price)
        ? { price_change: { previous: planToApi(update.previous, features, meta(env)).price, current: planToApi(update.plan, features, meta(env)).price } }
        : {}),
      customize: null,
      previous_attributes: target && update ? changedKeys(planToApi(target.plan, features, meta(env)), planToApi(plan, features, meta(env))) : null,
      other_versions: target ? catalog.versions(id).filter((v) => v.version !== target.version).map((v) => ({ plan_id: id, version: v.version, name: v.plan.name, conflicts: [] })) : [],
      license_changes: [],
      license_parents: [],
    });
    if (action !== 'none') writePlans.push({ plan, target, flags, held });
  }

  // Removals (§4.2), plans in id order, features in creation order.
  const removePlans: { id: string; archive: boolean }[] = [];
  for (const id of catalog.planIds()) {
    const archive = planRemoval.get(id);
    if (archive === undefined) continue;
    removePlans.push({ id, archive });
    wirePlans.push({
      plan_id: id, action: 'deleted', variants: [], versionable: false, will_archive: archive,
      has_customers: archive, customer_count: holders.plans.get(id) ?? 0, plan: planToApi(stored.plans[id]!, features, meta(env)),
      item_changes: [], customize: null, previous_attributes: null, other_versions: [], license_changes: [], license_parents: [],
    });
  }
  const deletedPlans = new Set(removePlans.filter((r) => !r.archive).map((r) => r.id));
  const removeFeatures: { id: string; archive: boolean }[] = [];
  for (const { feature } of catalog.featureList()) {
    const archivedByDiff = featureRemoval.get(feature.id);
    if (archivedByDiff === undefined) continue;
    // The diff sees each plan's latest version; an older version that stays also blocks a delete (catalog-state.ts).
    const archive = archivedByDiff || catalog.plansUsingFeature(feature.id).some((planId) => !deletedPlans.has(planId));
    removeFeatures.push({ id: feature.id, archive });
    wireFeatures.push(featureChange(feature.id, 'remove', feature, null, false, null, archive));
  }
  // Skipped: what the request lists or the catalog holds under a skipped id (never removed).
  for (const id of body.skip_feature_ids) if (!skippedFeatureIds.includes(id) && catalog.hasFeature(id)) skippedFeatureIds.push(id);
  for (const id of body.skip_plan_ids) if (!skippedPlanIds.includes(id) && catalog.hasPlan(id)) skippedPlanIds.push(id);
  for (const id of skippedFeatureIds) wireFeatures.push({ feature_id: id, action: 'skipped', will_archive: false, blocked: false, blocked_reason: null, previous_attributes: null, feature: null });
  for (const id of skippedPlanIds) {
    wirePlans.push({ plan_id: id, action: 'skipped', variants: [], versionable: false, will_archive: false, has_customers: false, customer_count: 0, customize: null, previous_attributes: null, other_versions: [], license_changes: [], license_parents: [] });
  }

  const resources = resourceChanges(catalog, body.rewards, body.referral_programs, body.skip_deletions);
  return {
    wire: { feature_changes: wireFeatures, plan_changes: wirePlans, reward_changes: resources.rewardChanges, referral_program_changes: resources.referralChanges },
    writes: { features: writeFeatures, plans: writePlans, removePlans, removeFeatures, resources: resources.request },
    requested: { features: featureIds, plans: planEntries.map((p) => p.id) },
  };
}

function pick<T>(record: Record<string, T>, ids: Iterable<string>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const id of ids) if (Object.hasOwn(record, id)) out[id] = record[id]!;
  return out;
}

function featureChange(id: string, action: string, feature: Feature, previous: Record<string, unknown> | null, blocked: boolean, reason: string | null, willArchive = false): Record<string, unknown> {
  return { feature_id: id, action, will_archive: willArchive, blocked, blocked_reason: reason, previous_attributes: previous, feature: featureToApi(feature) };
}

/** The intent flags atmn adds per plan (§4.1). */
function intentFlags(entry: Record<string, unknown>): PlannedPlanWrite['flags'] {
  const flags: PlannedPlanWrite['flags'] = {};
  if (typeof entry.version === 'number') flags.version = entry.version;
  if (entry.disable_version === true) flags.disable_version = true;
  if (entry.force_version === true) flags.force_version = true;
  if (entry.all_versions === true) flags.all_versions = true;
  return flags;
}

/** One VariantPreview per requested variant; variants are not stored by atmn dev, so none is ever applied. */
function variantPreviews(entry: Record<string, unknown>): Record<string, unknown>[] {
  const variants = Array.isArray(entry.variants) ? entry.variants : [];
  return variants.map((v) => {
    const variant = (v ?? {}) as Record<string, unknown>;
    return {
      plan_id: String(variant.variant_plan_id ?? ''), version: 1, name: String(variant.name ?? variant.variant_plan_id ?? ''),
      will_apply: false, update_source: null, versionable: false, previous_attributes: null, conflicts: [],
    };
  });
}

function itemChanges(update: PlanUpdateChange, features: Record<string, Feature>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const c of update.items) {
    if (c.change !== 'added') out.push({ action: 'deleted', feature_id: c.key.featureId, item: itemWire(update.previous, c.previous ?? c.item, features) });
    if (c.change !== 'removed') out.push({ action: 'created', feature_id: c.key.featureId, item: itemWire(update.plan, c.item, features) });
  }
  return out;
}

function itemWire(plan: Plan, item: Plan['items'][number], features: Record<string, Feature>): unknown {
  return (planToApi({ ...plan, items: [item] }, features, meta('sandbox')).items as unknown[])[0];
}

/** Keys whose values differ, with the old values (§4.2 previous_attributes). */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (key === 'version' || key === 'created_at') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = before[key];
  }
  return Object.keys(out).length > 0 ? out : null;
}

function meta(env: Environment) {
  return { version: 1, createdAt: 0, env };
}
