import { planUsesFeature } from '../catalog/references.ts';
import type { Catalog, Feature, Plan } from '../catalog/schema.ts';
import { AtmnError } from '../errors.ts';
import { explainFileSystem } from '../store/fs-error.ts';
import { assertNotLocked } from '../store/lock.ts';
import { readHolders, readStoredCatalog, writeStoredCatalog, type StoredCatalog } from '../store/state.ts';
import type { ApplyStep, HolderInfo, PlanIntent } from '../sync/index.ts';
import { countOf } from '../sync/decisions.ts';
import { ownEntry } from '../catalog/own-entry.ts';
import type { Backend, Organization, RemoteState } from './backend.ts';
import type { Target } from './target.ts';

/**
 * The embedded local sandbox (design.md "Targets"): the catalog lives in `.atmn/sandbox/`
 * beside the config, so `atmn push` works offline on a fresh machine. Each step is one
 * atomic file write, so a crash between steps leaves the steps before it applied and a
 * re-run converges, exactly like the HTTP path. The rules mirror `atmn dev` (wire.md §3.1):
 * deleting a feature a plan uses is refused, deleting a held plan is refused, and a plan
 * update with customers follows its versioning intent.
 *
 * Holders come from `.atmn/sandbox/holders.json`, which `atmn dev` writes from its engine
 * state (store/state.ts writeHolders); with no dev server ever run, nobody holds anything.
 */
export class SandboxBackend implements Backend {
  private state: StoredCatalog | null = null;
  /** Read once: nothing changes holders.json while no dev server runs (the lock check). */
  private holders: HolderInfo | null = null;
  private queue: Promise<void> = Promise.resolve();
  private checkedLock = false;

  constructor(
    readonly target: Target,
    private readonly displayStateDir: string = target.stateDir,
  ) {}

  async close(): Promise<void> {
    await this.queue;
  }

  async organization(): Promise<Organization | null> {
    return null;
  }

  async readCatalog(): Promise<RemoteState> {
    this.ensureUnlocked();
    const state = this.load();
    return { catalog: structuredClone(state.catalog), holders: this.loadHolders(), warnings: [] };
  }

  /** Steps are serialised: each reads the state the previous one wrote. */
  apply(step: ApplyStep): Promise<void> {
    const run = this.queue.then(() => this.applyNow(step));
    this.queue = run.catch(() => {});
    return run;
  }

  private applyNow(step: ApplyStep): void {
    this.ensureUnlocked();
    const state = structuredClone(this.load());
    if (step.entity === 'feature') applyFeatureStep(state.catalog, step.action, step.feature);
    else applyPlanStep(state, step.action, step.plan, step.intent, ownEntry(this.loadHolders().plans, step.id) ?? 0);
    explainFileSystem(`write the local sandbox state in ${this.displayStateDir}`, () => writeStoredCatalog(this.target.stateDir, this.target.environment, state));
    this.state = state;
  }

  private load(): StoredCatalog {
    this.state ??= readStoredCatalog(this.target.stateDir, this.target.environment);
    return this.state;
  }

  private loadHolders(): HolderInfo {
    this.holders ??= readHolders(this.target.stateDir, this.target.environment);
    return this.holders;
  }

  private ensureUnlocked(): void {
    if (this.checkedLock) return;
    assertNotLocked(this.target.stateDir, this.displayStateDir);
    this.checkedLock = true;
  }
}

function applyFeatureStep(catalog: Catalog, action: ApplyStep['action'], feature: Feature): void {
  const stored = ownEntry(catalog.features, feature.id);
  switch (action) {
    case 'create':
    case 'update':
      // archived is its own step; a create starts active, an update keeps what is stored.
      catalog.features[feature.id] = { ...structuredClone(feature), archived: stored?.archived ?? false };
      return;
    case 'archive':
    case 'unarchive':
      return setArchived(stored, 'feature', feature.id, action);
    case 'delete': {
      if (!stored) return; // already gone: converged
      const users = Object.values(catalog.plans).filter((plan) => planUsesFeature(plan, feature.id));
      if (users.length > 0) {
        throw new AtmnError('feature_in_use', `Cannot delete feature ${feature.id}: plan ${users.map((p) => p.id).join(', ')} still uses it.`, {
          hint: 'Remove it from those plans first, or keep the feature.',
        });
      }
      delete catalog.features[feature.id];
      // A credit-schema reference does not block a delete; the entry goes (wire.md §3.1).
      for (const other of Object.values(catalog.features)) {
        other.creditSchema = other.creditSchema.filter((entry) => entry.meteredFeatureId !== feature.id);
      }
      return;
    }
  }
}

function applyPlanStep(state: StoredCatalog, action: ApplyStep['action'], plan: Plan, intent: PlanIntent | null, holders: number): void {
  const { catalog } = state;
  const stored = ownEntry(catalog.plans, plan.id);
  switch (action) {
    case 'create':
    case 'update': {
      const next: Plan = { ...structuredClone(plan), archived: stored?.archived ?? false };
      if (stored && intent === 'create_version') {
        state.plan_versions[plan.id] = [...(ownEntry(state.plan_versions, plan.id) ?? []), stored];
      } else if (stored && intent === 'update_all_versions') {
        state.plan_versions[plan.id] = (ownEntry(state.plan_versions, plan.id) ?? []).map(() => structuredClone(next));
      }
      catalog.plans[plan.id] = next;
      return;
    }
    case 'archive':
    case 'unarchive':
      return setArchived(stored, 'plan', plan.id, action);
    case 'delete':
      if (!stored) return;
      if (holders > 0) {
        throw new AtmnError('plan_has_customers', `Cannot delete plan ${plan.id}: ${countOf(holders, 'customer')} hold it.`, {
          hint: 'Plans with customers are archived, not deleted.',
        });
      }
      delete catalog.plans[plan.id];
      delete state.plan_versions[plan.id];
      return;
  }
}

function setArchived(stored: { archived: boolean } | undefined, kind: 'feature' | 'plan', id: string, action: 'archive' | 'unarchive'): void {
  if (!stored) {
    throw new AtmnError(kind === 'feature' ? 'feature_not_found' : 'plan_not_found', `Cannot ${action} ${kind} ${id}: the local sandbox has no such ${kind}.`);
  }
  stored.archived = action === 'archive';
}
