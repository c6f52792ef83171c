import { featureToApi, planToApi } from '../../remote/wire.ts';
import { applyResources } from '../catalog-resources.ts';
import { previewCatalogUpdate, type CatalogPreview } from '../catalog-preview.ts';
import { writePlanVersion, type CatalogState } from '../catalog-state.ts';
import type { DevRuntime } from '../dev-runtime.ts';
import type { Route } from '../router.ts';

/** atmn push's two calls (wire.md §4.1–§4.3) and nothing else. */
export function catalogUpdateRoutes(runtime: DevRuntime): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/catalog.preview_update',
      handler: (req) => previewCatalogUpdate(runtime.catalog(req.env), req.body, runtime.holders(req.env), req.env).wire,
    },
    {
      method: 'POST',
      path: '/v1/catalog.update',
      handler: (req) => {
        const holders = runtime.holders(req.env);
        return runtime.writeCatalog(req.env, (catalog, now) => {
          const preview = previewCatalogUpdate(catalog, req.body, holders, req.env);
          applyPreview(catalog, preview, now);
          const features = catalog.latest().features;
          return {
            features: preview.requested.features.map((id) => featureToApi(features[id]!)),
            plans: preview.requested.plans.map((id) => {
              const v = catalog.planVersion(id);
              return planToApi(v.plan, features, { version: v.version, createdAt: v.createdAt, env: req.env });
            }),
            rewards: (catalog.rewards.filter((r) => preview.writes.resources.rewards?.some((w) => w.id === r.id))).map(({ kind: _kind, ...r }) => r),
            referral_programs: catalog.referralPrograms.filter((r) => preview.writes.resources.referralPrograms?.some((w) => w.id === r.id)),
          };
        });
      },
    },
  ];
}

/** §4.3 order: features (request order, blocked ones skipped), plans, rewards and referrals, plan removals, feature removals. */
function applyPreview(catalog: CatalogState, preview: CatalogPreview, now: number): void {
  const { writes } = preview;
  if (writes.resources.conflicts.length > 0) applyResources(catalog, writes.resources, now); // throws before any write
  for (const feature of writes.features) catalog.putFeature(feature, now);
  for (const { plan, target, flags, held } of writes.plans) {
    if (target === null) catalog.createPlan(plan, now);
    else writePlanVersion(catalog, target, plan, flags, held, now);
  }
  applyResources(catalog, writes.resources, now);
  for (const { id, archive } of writes.removePlans) {
    if (archive) catalog.writePlan({ ...catalog.planVersion(id).plan, archived: true }, { kind: 'in_place', version: catalog.planVersion(id).version }, now);
    else catalog.deletePlan(id, true);
  }
  for (const { id, archive } of writes.removeFeatures) {
    if (archive) catalog.putFeature({ ...catalog.feature(id).feature, archived: true }, now);
    else catalog.deleteFeature(id);
  }
}
