import type { Catalog } from '../catalog/schema.ts';
import { isAtmnError } from '../errors.ts';
import type { ApplyStep, HolderInfo } from '../sync/index.ts';
import type { Backend, BackendOptions, Organization, RemoteState } from './backend.ts';
import { HttpClient, type HttpRequest } from './http-client.ts';
import type { Target } from './target.ts';
import { ApiOrganization, FeatureList, PlanList, PreviewHolders, catalogFromWire, featureToParams, parseWire, planToParams } from './wire.ts';

/**
 * Hosted Autumn, `atmn dev` or any Autumn-compatible server (spec/wire.md). Reads are the
 * two list routes of §2; writes are the per-object REST routes of §3.1, which our CLI
 * applies in planApply order. Who holds what comes from a catalog preview (§4.2) of an
 * empty catalog: every stored plan then shows as a removal whose `will_archive` says whether
 * any version has a holder. A preview is a read; nothing is written.
 */
export class HttpBackend implements Backend {
  private constructor(
    readonly target: Target,
    private readonly client: HttpClient,
  ) {}

  static async open(target: Target, options: BackendOptions): Promise<HttpBackend> {
    return new HttpBackend(target, new HttpClient(target, { userAgent: `atmn/${options.version} (node ${process.version})` }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async readCatalog(): Promise<RemoteState> {
    const [features, plans, preview] = await Promise.all([
      this.client.send({ method: 'POST', path: '/v1/features.list', body: {}, idempotent: true, what: 'read the features' }),
      this.client.send({ method: 'POST', path: '/v1/plans.list', body: { include_archived: true, all_versions: false }, idempotent: true, what: 'read the plans' }),
      this.readPreview(),
    ]);
    const featureList = parseWire(FeatureList, features, 'features.list').list;
    const planList = parseWire(PlanList, plans, 'plans.list').list;
    const { catalog, notes } = catalogFromWire(featureList, planList);
    const warnings = notes.map((note) => `${note.kind} ${note.id}: ${note.message}`);
    let holders: HolderInfo;
    if (preview.ok) {
      holders = holdersFromPreview(preview.value, catalog);
    } else {
      holders = assumeEveryPlanHeld(catalog);
      warnings.push(`could not learn which plans have customers (${preview.reason}); treating every plan as held, so removals archive and changed plans need --versioning.`);
    }
    return { catalog, holders, warnings };
  }

  async organization(): Promise<Organization | null> {
    const raw = await this.client.send({ method: 'GET', path: '/v1/organization/me', idempotent: true, what: 'read the organization' });
    const org = parseWire(ApiOrganization, raw, 'organization');
    return { id: org.id ?? null, name: org.name ?? null, slug: org.slug ?? null, env: org.env ?? null };
  }

  async apply(step: ApplyStep): Promise<void> {
    const id = encodeURIComponent(step.id);
    if (step.entity === 'feature') {
      const feature = step.feature;
      const what = `${step.action} feature ${step.id}`;
      switch (step.action) {
        case 'create':
          return this.createOrUpdate(
            { method: 'POST', path: '/v1/features', body: featureToParams(feature), idempotent: false, what },
            { method: 'POST', path: `/v1/features/${id}`, body: featureToParams(feature), idempotent: false, what: `update feature ${step.id}` },
            'duplicate_feature_id',
          );
        case 'update':
          return this.write({ method: 'POST', path: `/v1/features/${id}`, body: featureToParams(feature), idempotent: false, what });
        case 'archive':
        case 'unarchive':
          return this.write({ method: 'POST', path: `/v1/features/${id}`, body: { archived: step.action === 'archive' }, idempotent: false, what });
        case 'delete':
          return this.deleteTolerantly({ method: 'DELETE', path: `/v1/features/${id}`, idempotent: false, what }, 'feature_not_found');
      }
    }
    const plan = step.plan;
    const what = `${step.action} plan ${step.id}`;
    switch (step.action) {
      case 'create':
        return this.createOrUpdate(
          { method: 'POST', path: '/v1/products', body: planToParams(plan, 'create'), idempotent: false, what },
          { method: 'POST', path: `/v1/products/${id}`, body: planToParams(plan, 'update', step.intent), idempotent: false, what: `update plan ${step.id}` },
          'product_already_exists',
        );
      case 'update':
        return this.write({ method: 'POST', path: `/v1/products/${id}`, body: planToParams(plan, 'update', step.intent), idempotent: false, what });
      case 'archive':
      case 'unarchive':
        return this.write({ method: 'POST', path: `/v1/products/${id}`, body: { archived: step.action === 'archive' }, idempotent: false, what });
      case 'delete':
        return this.deleteTolerantly({ method: 'DELETE', path: `/v1/products/${id}?all_versions=true`, idempotent: false, what }, 'plan_not_found');
    }
  }

  private async write(request: HttpRequest): Promise<void> {
    await this.client.send(request);
  }

  /** A create whose earlier answer was lost already exists: update it instead, so a re-run converges. */
  private async createOrUpdate(create: HttpRequest, update: HttpRequest, existsCode: 'duplicate_feature_id' | 'product_already_exists'): Promise<void> {
    try {
      await this.client.send(create);
    } catch (error) {
      if (isAtmnError(error) && error.code === existsCode) await this.client.send(update);
      else throw error;
    }
  }

  /** Deleting what is already gone is done, not a failure (re-running push converges). */
  private async deleteTolerantly(request: HttpRequest, goneCode: 'feature_not_found' | 'plan_not_found'): Promise<void> {
    try {
      await this.client.send(request);
    } catch (error) {
      if (!(isAtmnError(error) && error.code === goneCode)) throw error;
    }
  }

  private async readPreview(): Promise<{ ok: true; value: PreviewHolders } | { ok: false; reason: string }> {
    try {
      const raw = await this.client.send({
        method: 'POST',
        path: '/v1/catalog.preview_update',
        body: { features: [], plans: [], skip_deletions: false, skip_feature_ids: [], skip_plan_ids: [] },
        idempotent: true,
        what: 'learn which plans have customers',
      });
      return { ok: true, value: parseWire(PreviewHolders, raw, 'catalog.preview_update') };
    } catch (error) {
      // Auth and connection problems fail the whole read with their own message.
      if (isAtmnError(error) && error.code !== 'unauthorized' && error.code !== 'network_error') return { ok: false, reason: error.message };
      throw error;
    }
  }
}

/**
 * Plans: `customer_count` when the server gives it, else 1 for a removal that would archive.
 * Archived plans are absent from the preview; they were archived because they had holders,
 * so they count as held (the safe side). Features: `will_archive` also means "used by a
 * plan item or credit schema", which the diff sees itself; only a feature nothing in the
 * catalog references can owe its `will_archive` to balances, so only those count.
 */
function holdersFromPreview(preview: PreviewHolders, catalog: Catalog): HolderInfo {
  const plans: Record<string, number> = {};
  for (const change of preview.plan_changes) {
    const count = typeof change.customer_count === 'number' && change.customer_count > 0
      ? change.customer_count
      : change.will_archive || change.has_customers ? 1 : 0;
    if (count > 0) plans[change.plan_id] = count;
  }
  for (const plan of Object.values(catalog.plans)) if (plan.archived && !Object.hasOwn(plans, plan.id)) plans[plan.id] = 1;
  const referenced = new Set<string>();
  for (const plan of Object.values(catalog.plans)) for (const item of plan.items) referenced.add(item.featureId).add(item.entityFeatureId ?? item.featureId);
  for (const feature of Object.values(catalog.features)) for (const entry of feature.creditSchema) referenced.add(entry.meteredFeatureId);
  const features: Record<string, number> = {};
  for (const change of preview.feature_changes) if (change.will_archive && !referenced.has(change.feature_id)) features[change.feature_id] = 1;
  return { plans, features };
}

function assumeEveryPlanHeld(catalog: Catalog): HolderInfo {
  return { plans: Object.fromEntries(Object.keys(catalog.plans).map((id) => [id, 1])), features: {} };
}

