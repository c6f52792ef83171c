import { join } from 'node:path';
import { z } from 'zod';
import { AtmnError } from '../errors.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { readOptionalText } from '../store/optional-file.ts';
import { readStoredCatalog, writeStoredCatalog, STATE_FORMAT_VERSION, type Environment } from '../store/state.ts';
import { CatalogState, type CatalogSnapshot, type PlanVersion } from './catalog-state.ts';

/**
 * Loads and saves the catalog `atmn dev` serves. The catalog itself lives where the embedded
 * sandbox keeps it (`<data>/<env>/catalog.json`, store/state.ts), so a push without a key
 * and a later `atmn dev` see the same plans. What that format does not hold — creation
 * times, feature creation order, rewards and referral programs — is kept beside it in
 * `<data>/<env>/dev-catalog.json`; when the two disagree (the sandbox changed the catalog
 * while no server ran), the catalog file wins and the missing times are filled with `now`.
 */

const Resource = z.looseObject({ id: z.string(), created_at: z.number() });
const Extras = z.object({
  format_version: z.literal(STATE_FORMAT_VERSION),
  feature_order: z.array(z.string()),
  feature_created_at: z.record(z.string(), z.number()),
  plan_created_at: z.record(z.string(), z.array(z.number())),
  rewards: z.array(Resource),
  referral_programs: z.array(Resource),
});
type Extras = z.infer<typeof Extras>;

function extrasFile(stateDir: string, env: Environment): string {
  return join(stateDir, env, 'dev-catalog.json');
}

export function loadCatalogState(stateDir: string, env: Environment, now: number): CatalogState {
  const stored = readStoredCatalog(stateDir, env);
  const extras = readExtras(extrasFile(stateDir, env));
  const ids = Object.keys(stored.catalog.features);
  const order = [...(extras?.feature_order ?? []).filter((id) => ids.includes(id)), ...ids.filter((id) => !extras?.feature_order.includes(id))];
  const snapshot: CatalogSnapshot = {
    features: order.map((id) => ({ feature: stored.catalog.features[id]!, createdAt: extras?.feature_created_at[id] ?? now })),
    plans: {},
    rewards: extras?.rewards ?? [],
    referralPrograms: extras?.referral_programs ?? [],
  };
  for (const [id, plan] of Object.entries(stored.catalog.plans)) {
    const all = [...(stored.plan_versions[id] ?? []), plan];
    const times = extras?.plan_created_at[id] ?? [];
    snapshot.plans[id] = all.map((p, index): PlanVersion => ({ plan: p, version: index + 1, createdAt: times[index] ?? now }));
  }
  return CatalogState.fromSnapshot(snapshot);
}

export function saveCatalogState(stateDir: string, env: Environment, state: CatalogState): void {
  const snapshot = state.snapshot();
  const planVersions: Record<string, PlanVersion['plan'][]> = {};
  const planCreatedAt: Record<string, number[]> = {};
  for (const [id, versions] of Object.entries(snapshot.plans)) {
    if (versions.length > 1) planVersions[id] = versions.slice(0, -1).map((v) => v.plan);
    planCreatedAt[id] = versions.map((v) => v.createdAt);
  }
  writeStoredCatalog(stateDir, env, { format_version: STATE_FORMAT_VERSION, catalog: state.latest(), plan_versions: planVersions });
  const extras: Extras = {
    format_version: STATE_FORMAT_VERSION,
    feature_order: snapshot.features.map((f) => f.feature.id),
    feature_created_at: Object.fromEntries(snapshot.features.map((f) => [f.feature.id, f.createdAt])),
    plan_created_at: planCreatedAt,
    rewards: snapshot.rewards,
    referral_programs: snapshot.referralPrograms,
  };
  writeFileAtomic(extrasFile(stateDir, env), JSON.stringify(extras, null, 2) + '\n');
}

function readExtras(file: string): Extras | null {
  const text = readOptionalText(file);
  if (text === null) return null;
  const parsed = Extras.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new AtmnError('state_corrupt', `${file} cannot be read.`, { hint: 'Delete it; atmn dev writes it again (rewards and creation times are then lost).' });
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
