/**
 * The pure sync core at scale: a 500-feature / 200-plan catalog (the foundation's large
 * config size) diffed against itself (the in-sync push path) and against an edited copy,
 * rendered, hashed, ordered for apply, and generated as source. The push-in-sync target of
 * issue #4 is 0.3 s wall for load + read remote + diff; the diff's share should be a few ms.
 */
import type { Catalog, Feature, Item, Plan } from '../../src/catalog/schema.ts';
import { generateConfigSource, updateConfigSource } from '../../src/codegen/index.ts';
import { catalogHash, diffCatalogs, planApply, renderChangeSetJson, renderChangeSetText } from '../../src/sync/index.ts';

function bigCatalog(): Catalog {
  const features: Record<string, Feature> = {};
  for (let n = 0; n < 500; n += 1) {
    const id = `feature-${n}`;
    features[id] = { id, name: `Feature ${n}`, type: n % 10 === 0 ? 'boolean' : 'metered', consumable: n % 10 !== 0 && n % 3 !== 0, eventNames: [`event.${n}`], creditSchema: [], archived: false };
  }
  const plans: Record<string, Plan> = {};
  for (let p = 0; p < 200; p += 1) {
    const items: Item[] = [];
    for (let i = 0; i < 8; i += 1) {
      const featureId = `feature-${(p * 7 + i * 13) % 500}`;
      const metered = features[featureId]!.type === 'metered';
      items.push({
        featureId,
        included: metered ? 100 * (i + 1) : 0,
        unlimited: false,
        reset: metered && features[featureId]!.consumable ? { interval: 'month', intervalCount: 1 } : null,
        price: metered && i % 2 === 0 ? { rate: { kind: 'flat', amount: 0.5 }, interval: 'month', intervalCount: 1, billingUnits: 100, billingMethod: 'usage_based', maxPurchase: null } : null,
        entityFeatureId: null,
        rollover: null,
        proration: null,
      });
    }
    const id = `plan-${p}`;
    plans[id] = { id, name: `Plan ${p}`, description: `Plan number ${p}`, group: p % 2 ? 'main' : null, addOn: false, autoEnable: false, price: { amount: p, interval: 'month', intervalCount: 1 }, freeTrial: null, items, archived: false, billingControls: null };
  }
  return { features, plans };
}

function time<T>(label: string, runs: number, fn: () => T): T {
  let result = fn(); // warm-up
  const start = process.hrtime.bigint();
  for (let n = 0; n < runs; n += 1) result = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  console.log(`${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms/op`);
  return result;
}

const local = bigCatalog();
const remote = structuredClone(local);
for (let p = 0; p < 200; p += 10) remote.plans[`plan-${p}`]!.items[0]!.included += 1;
delete remote.features['feature-1'];
remote.features['feature-gone'] = { ...local.features['feature-2']!, id: 'feature-gone' };

const small: Catalog = {
  features: Object.fromEntries(Object.entries(local.features).slice(0, 3)),
  plans: { 'plan-0': { ...local.plans['plan-0']!, items: local.plans['plan-0']!.items.slice(0, 3).map((i, n) => ({ ...i, featureId: `feature-${n}`, entityFeatureId: null })) } },
};
const smallCopy = structuredClone(small);
time('diff, README-sized catalog, in sync', 200, () => diffCatalogs(small, smallCopy));

console.log('catalog: 500 features, 200 plans × 8 items');
const copy = structuredClone(local);
const inSync = time('diff, in sync', 20, () => diffCatalogs(local, copy));
if (inSync.changes.length !== 0) throw new Error('expected no changes');
const changed = time('diff, 20 plans + 2 features changed', 20, () => diffCatalogs(local, remote));
time('render text', 20, () => renderChangeSetText(changed, { color: false }));
time('render JSON', 20, () => JSON.stringify(renderChangeSetJson(changed)));
time('planApply (all granted)', 20, () => planApply(changed, { allowDelete: true, versioning: 'new' }));
time('catalogHash', 20, () => catalogHash(local));
const source = time('generateConfigSource', 10, () => generateConfigSource(local));
time('updateConfigSource (20 plans changed)', 10, () => updateConfigSource(source, remote, { current: local }));
console.log(`generated source: ${(source.length / 1024).toFixed(0)} KiB`);
const usage = process.resourceUsage();
console.log(`peak RSS: ${(usage.maxRSS / 1024).toFixed(0)} MB`);
console.log('target: diff of an in-sync catalog well under 0.3 s (the whole push-in-sync budget)');
