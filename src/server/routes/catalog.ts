import { z } from 'zod';
import { AtmnError } from '../../errors.ts';
import { featureToApi, planToApi } from '../../remote/wire.ts';
import { listPlans, writePlanVersion, type PlanVersion } from '../catalog-state.ts';
import { featureFromBody, featureIdOf, mergeFeature, mergePlan, planFromBody, planIdOf } from '../catalog-writes.ts';
import { versionHolders, type DevRuntime } from '../dev-runtime.ts';
import { parseInput } from '../input.ts';
import type { Environment, Route, RouteRequest } from '../router.ts';

/** Catalog reads (wire.md §2) and per-object writes, REST (§3.1) and RPC (§3.2). */
export function catalogRoutes(runtime: DevRuntime): Route[] {
  const planToWire = (env: Environment, v: PlanVersion) => planToApi(v.plan, runtime.catalog(env).latest().features, { version: v.version, createdAt: v.createdAt, env });

  const createFeature = (req: RouteRequest) =>
    runtime.writeCatalog(req.env, (catalog, now) => {
      const id = featureIdOf(req.body);
      if (catalog.hasFeature(id)) {
        throw new AtmnError('duplicate_feature_id', `Feature '${id}' already exists.`, { hint: 'Update it with POST /v1/features/{id} instead.', details: { feature_id: id } });
      }
      return featureToApi(catalog.putFeature(featureFromBody(req.body, id, catalog.latest().features), now).feature);
    });

  const updateFeature = (req: RouteRequest, pathId?: string) =>
    runtime.writeCatalog(req.env, (catalog, now) => {
      const id = featureIdOf(req.body, pathId);
      const stored = catalog.feature(id);
      return featureToApi(catalog.putFeature(mergeFeature(stored.feature, req.body, catalog.latest().features), now).feature);
    });

  const deleteFeature = (req: RouteRequest, pathId?: string) =>
    runtime.writeCatalog(req.env, (catalog) => {
      catalog.deleteFeature(featureIdOf(req.body, pathId));
      return { success: true };
    });

  const createPlan = (req: RouteRequest) =>
    runtime.writeCatalog(req.env, (catalog, now) => {
      const id = planIdOf(req.body);
      if (catalog.hasPlan(id)) {
        throw new AtmnError('product_already_exists', `Plan '${id}' already exists.`, { hint: 'Update it with POST /v1/products/{id} instead.', details: { plan_id: id } });
      }
      return planToWire(req.env, catalog.createPlan(planFromBody(req.body, id, catalog.latest().features), now));
    });

  const updatePlan = (req: RouteRequest, pathId?: string) => {
    const flags = parseInput(UpdateFlags, req.body);
    const holders = runtime.holders(req.env);
    return runtime.writeCatalog(req.env, (catalog, now) => {
      const id = planIdOf(req.body, pathId);
      const target = catalog.planVersion(id, flags.version);
      const plan = mergePlan(target.plan, req.body, catalog.latest().features);
      return planToWire(req.env, writePlanVersion(catalog, target, plan, flags, versionHolders(holders, id, target.version) > 0, now));
    });
  };

  const deletePlan = (req: RouteRequest, pathId?: string) => {
    const allVersions = parseInput(z.object({ all_versions: z.boolean().optional() }), req.body).all_versions ?? false;
    const holders = runtime.holders(req.env);
    return runtime.writeCatalog(req.env, (catalog) => {
      const id = planIdOf(req.body, pathId);
      const versions = catalog.versions(id);
      const doomed = allVersions ? versions : versions.slice(-1);
      const held = doomed.reduce((n, v) => n + versionHolders(holders, id, v.version), 0);
      if (held > 0) {
        throw new AtmnError('plan_has_customers', `Plan '${id}' is held by ${held} customer${held === 1 ? '' : 's'} or entit${held === 1 ? 'y' : 'ies'}.`, {
          hint: 'Archive it instead ({"archived": true}); archived plans keep working for existing holders.',
          details: { plan_id: id, holders: held },
        });
      }
      catalog.deletePlan(id, allVersions);
      return { success: true };
    });
  };

  const getPlan = (req: RouteRequest) => {
    const b = parseInput(z.object({ version: z.number().int().min(1).optional() }), req.body);
    return planToWire(req.env, runtime.catalog(req.env).planVersion(planIdOf(req.body), b.version));
  };

  return [
    { method: 'POST', path: '/v1/features.list', handler: (req) => ({ list: runtime.catalog(req.env).featureList().map((f) => featureToApi(f.feature)) }) },
    {
      method: 'POST',
      path: '/v1/plans.list',
      handler: (req) => {
        const b = parseInput(ListPlansBody, req.body);
        return { list: listPlans(runtime.catalog(req.env), b.include_archived ?? false, b.all_versions ?? false).map((v) => planToWire(req.env, v)) };
      },
    },
    { method: 'POST', path: '/v1/features', handler: createFeature },
    { method: 'POST', path: '/v1/features/{id}', handler: (req) => updateFeature(req, req.params.id) },
    { method: 'DELETE', path: '/v1/features/{id}', handler: (req) => deleteFeature(req, req.params.id) },
    { method: 'POST', path: '/v1/features.create', handler: createFeature },
    { method: 'POST', path: '/v1/features.get', handler: (req) => featureToApi(runtime.catalog(req.env).feature(featureIdOf(req.body)).feature) },
    { method: 'POST', path: '/v1/features.update', handler: (req) => updateFeature(req) },
    { method: 'POST', path: '/v1/features.delete', handler: (req) => deleteFeature(req) },
    { method: 'POST', path: '/v1/products', handler: createPlan },
    { method: 'POST', path: '/v1/products/{id}', handler: (req) => updatePlan(req, req.params.id) },
    { method: 'DELETE', path: '/v1/products/{id}', handler: (req) => deletePlan(req, req.params.id) },
    { method: 'POST', path: '/v1/plans.create', handler: createPlan },
    { method: 'POST', path: '/v1/plans.get', handler: getPlan },
    { method: 'POST', path: '/v1/plans.update', handler: (req) => updatePlan(req) },
    { method: 'POST', path: '/v1/plans.delete', handler: (req) => deletePlan(req) },
  ];
}

const ListPlansBody = z.object({
  include_archived: z.boolean().optional(),
  all_versions: z.boolean().optional(),
  customer_id: z.unknown().optional(),
  entity_id: z.unknown().optional(),
});

const UpdateFlags = z.object({
  version: z.number().int().min(1, 'must be ≥ 1').optional(),
  disable_version: z.boolean().optional(),
  force_version: z.boolean().optional(),
  all_versions: z.boolean().optional(),
});
