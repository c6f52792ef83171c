import { planUsesFeature } from '../catalog/references.ts';
import type { Catalog, Feature, Plan } from '../catalog/schema.ts';
import { compareIds } from '../catalog/order.ts';
import { AtmnError } from '../errors.ts';

/**
 * The catalog as `atmn dev` serves it (wire.md §2–§4): features in creation order, every
 * version of every plan, and the rewards and referral programs atmn pushes. The engine
 * sees `latest()`: each plan's latest version. Pure data and rules; persistence is the
 * caller's (server/catalog-persistence.ts).
 */

export interface StoredFeature {
  feature: Feature;
  createdAt: number;
}

export interface PlanVersion {
  plan: Plan;
  version: number;
  createdAt: number;
}

/** A reward or referral program exactly as atmn sent it (§4.1), plus created_at. */
export type StoredResource = Record<string, unknown> & { id: string; created_at: number };

export interface CatalogSnapshot {
  features: StoredFeature[];
  plans: Record<string, PlanVersion[]>;
  rewards: StoredResource[];
  referralPrograms: StoredResource[];
}

export class CatalogState {
  private readonly features = new Map<string, StoredFeature>();
  private readonly plans = new Map<string, PlanVersion[]>();
  rewards: StoredResource[] = [];
  referralPrograms: StoredResource[] = [];
  private latestCache: Catalog | null = null;

  static fromSnapshot(snapshot: CatalogSnapshot): CatalogState {
    const state = new CatalogState();
    for (const f of snapshot.features) state.features.set(f.feature.id, f);
    for (const [id, versions] of Object.entries(snapshot.plans)) state.plans.set(id, [...versions].sort((a, b) => a.version - b.version));
    state.rewards = [...snapshot.rewards];
    state.referralPrograms = [...snapshot.referralPrograms];
    return state;
  }

  snapshot(): CatalogSnapshot {
    return {
      features: [...this.features.values()],
      plans: Object.fromEntries(this.plans),
      rewards: this.rewards,
      referralPrograms: this.referralPrograms,
    };
  }

  /** What the engine attaches from: every feature, the latest version of every plan. */
  latest(): Catalog {
    if (!this.latestCache) {
      const features: Catalog['features'] = {};
      for (const { feature } of this.features.values()) features[feature.id] = feature;
      const plans: Catalog['plans'] = {};
      for (const [id, versions] of this.plans) plans[id] = versions[versions.length - 1]!.plan;
      this.latestCache = { features, plans };
    }
    return this.latestCache;
  }

  // ---------------------------------------------------------------- features

  featureList(): StoredFeature[] {
    return [...this.features.values()];
  }

  hasFeature(id: string): boolean {
    return this.features.has(id);
  }

  feature(id: string): StoredFeature {
    const found = this.features.get(id);
    if (!found) throw featureNotFound(id);
    return found;
  }

  /** Creates or replaces a feature; a new id goes last in creation order. */
  putFeature(feature: Feature, now: number): StoredFeature {
    const existing = this.features.get(feature.id);
    const stored = { feature, createdAt: existing?.createdAt ?? now };
    this.features.set(feature.id, stored);
    this.changed();
    return stored;
  }

  /** Ids of plans (any version, archived included) with an item of this feature. */
  plansUsingFeature(id: string): string[] {
    const out: string[] = [];
    for (const [planId, versions] of this.plans) {
      if (versions.some((v) => planUsesFeature(v.plan, id))) out.push(planId);
    }
    return out.sort(compareIds);
  }

  /** wire.md §3.1: refused while an item uses it; credit-schema references are dropped. */
  deleteFeature(id: string): void {
    this.feature(id);
    const users = this.plansUsingFeature(id);
    if (users.length > 0) {
      throw new AtmnError('feature_in_use', `Feature '${id}' is used by plan${users.length > 1 ? 's' : ''} ${users.map((u) => `'${u}'`).join(', ')}.`, {
        hint: 'Remove it from those plans first, or archive it with {"archived": true}.',
        details: { feature_id: id, plan_ids: users },
      });
    }
    this.features.delete(id);
    for (const stored of this.features.values()) {
      const schema = stored.feature.creditSchema.filter((e) => e.meteredFeatureId !== id);
      if (schema.length !== stored.feature.creditSchema.length) stored.feature = { ...stored.feature, creditSchema: schema };
    }
    this.changed();
  }

  // ---------------------------------------------------------------- plans

  hasPlan(id: string): boolean {
    return this.plans.has(id);
  }

  /** Every version, oldest first. */
  versions(id: string): PlanVersion[] {
    const found = this.plans.get(id);
    if (!found) throw planNotFound(id);
    return found;
  }

  /** The latest version, or the given one. */
  planVersion(id: string, version?: number | null): PlanVersion {
    const versions = this.versions(id);
    if (version === undefined || version === null) return versions[versions.length - 1]!;
    const found = versions.find((v) => v.version === version);
    if (!found) throw planNotFound(id, version);
    return found;
  }

  planIds(): string[] {
    return [...this.plans.keys()].sort(compareIds);
  }

  createPlan(plan: Plan, now: number): PlanVersion {
    const stored = { plan, version: 1, createdAt: now };
    this.plans.set(plan.id, [stored]);
    this.changed();
    return stored;
  }

  /**
   * Writes `plan` over version `target` (in place) or as a new latest version. `archived`
   * applies to every version of the id (wire.md §2.2).
   */
  writePlan(plan: Plan, mode: { kind: 'in_place'; version: number } | { kind: 'new_version' } | { kind: 'all_versions' }, now: number): PlanVersion {
    const versions = this.versions(plan.id);
    let result: PlanVersion;
    if (mode.kind === 'new_version') {
      result = { plan, version: versions[versions.length - 1]!.version + 1, createdAt: now };
      versions.push(result);
    } else if (mode.kind === 'all_versions') {
      for (const v of versions) v.plan = plan;
      result = versions[versions.length - 1]!;
    } else {
      const target = versions.find((v) => v.version === mode.version);
      if (!target) throw planNotFound(plan.id, mode.version);
      target.plan = plan;
      result = target;
    }
    for (const v of versions) if (v.plan.archived !== plan.archived) v.plan = { ...v.plan, archived: plan.archived };
    this.changed();
    return result;
  }

  /** Deletes the latest version, or every version. */
  deletePlan(id: string, allVersions: boolean): void {
    const versions = this.versions(id);
    if (allVersions || versions.length === 1) this.plans.delete(id);
    else versions.pop();
    this.changed();
  }

  private changed(): void {
    this.latestCache = null;
  }
}

export interface VersioningFlags {
  version?: number | undefined;
  disable_version?: boolean | undefined;
  force_version?: boolean | undefined;
  all_versions?: boolean | undefined;
}

/**
 * wire.md §3.1 "Plan versioning": a change of price, items or free trial makes version N+1
 * when the edited version has holders; `disable_version` forces an in-place edit,
 * `force_version` a new version, `all_versions` edits every version; a pinned `version`
 * is edited in place. Other fields never version.
 */
export function writePlanVersion(catalog: CatalogState, target: PlanVersion, plan: Plan, flags: VersioningFlags, held: boolean, now: number): PlanVersion {
  if (flags.all_versions) return catalog.writePlan(plan, { kind: 'all_versions' }, now);
  const latest = catalog.planVersion(plan.id);
  const pinned = flags.version !== undefined && flags.version !== latest.version;
  const versioned = versionedFieldsDiffer(target.plan, plan);
  const newVersion = !pinned && !flags.disable_version && versioned && (flags.force_version === true || held);
  return catalog.writePlan(plan, newVersion ? { kind: 'new_version' } : { kind: 'in_place', version: target.version }, now);
}

/** wire.md §2.2: latest versions (or every version, by id then version); archived ones on request. */
export function listPlans(catalog: CatalogState, includeArchived: boolean, allVersions: boolean): PlanVersion[] {
  const out: PlanVersion[] = [];
  for (const id of catalog.planIds()) {
    const versions = catalog.versions(id);
    const latest = versions[versions.length - 1]!;
    if (latest.plan.archived && !includeArchived) continue;
    out.push(...(allVersions ? versions : [latest]));
  }
  return out.sort((a, b) => compareIds(a.plan.id, b.plan.id) || a.version - b.version);
}

/** The fields whose change makes a new version when the plan has holders (wire.md §3.1). */
function versionedFieldsDiffer(a: Plan, b: Plan): boolean {
  return (
    JSON.stringify(a.price) !== JSON.stringify(b.price) ||
    JSON.stringify(a.items) !== JSON.stringify(b.items) ||
    JSON.stringify(a.freeTrial) !== JSON.stringify(b.freeTrial)
  );
}

export function featureNotFound(id: string): AtmnError {
  return new AtmnError('feature_not_found', `Feature '${id}' does not exist.`, {
    hint: 'Check the id against the catalog (POST /v1/features.list).',
    details: { feature_id: id },
  });
}

export function planNotFound(id: string, version?: number): AtmnError {
  const what = version === undefined ? `Plan '${id}'` : `Version ${version} of plan '${id}'`;
  return new AtmnError('plan_not_found', `${what} does not exist.`, {
    hint: 'Check the id against the catalog (POST /v1/plans.list).',
    details: { plan_id: id, ...(version === undefined ? {} : { version }) },
  });
}
