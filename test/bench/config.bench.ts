// Config load + validate (issue #2 acceptance): `atmn validate --config …` of the built CLI,
// a fresh process per run, for autumn.config.example.ts and for a generated config of
// 200 plans and 500 features. Target: example < 250 ms median wall. Prints numbers only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './cli-timing.ts';

const root = process.cwd();
const runs = 10;

/** 500 features (300 consumable, 150 allocations, 50 flags) and 200 plans of 12 items each. */
function generatedConfig(): string {
  const lines = ["import { feature, item, plan } from 'atmn';", ''];
  const consumable: string[] = [];
  const allocation: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < 500; i++) {
    const id = `feature_${i}`;
    const kind = i < 300 ? 'consumable' : i < 450 ? 'allocation' : 'flag';
    const type = kind === 'flag' ? "type: 'boolean'" : `type: 'metered', consumable: ${kind === 'consumable'}`;
    lines.push(`export const f${i} = feature({ id: '${id}', name: 'Feature ${i}', ${type} });`);
    (kind === 'consumable' ? consumable : kind === 'allocation' ? allocation : flags).push(`f${i}.id`);
  }
  lines.push('');
  for (let p = 0; p < 200; p++) {
    const seat = allocation[p % allocation.length];
    const items = [
      `item({ featureId: ${seat}, included: ${1 + (p % 5)}, price: { amount: ${10 + p}, interval: 'month', billingMethod: 'usage_based' } })`,
      `item({ featureId: ${flags[p % flags.length]} })`,
    ];
    for (let k = 0; k < 8; k++) {
      const f = consumable[(p * 8 + k) % consumable.length];
      items.push(
        k % 2 === 0
          ? `item({ featureId: ${f}, included: ${100 * (k + 1)}, reset: { interval: 'month' }, entityFeatureId: ${seat} })`
          : `item({ featureId: ${f}, included: ${50 * k}, price: { tiers: [{ to: ${1000 * k}, amount: 0.01 }, { to: 'inf', amount: 0.005 }], interval: 'month', billingMethod: 'usage_based' } })`,
      );
    }
    items.push(`item({ featureId: ${allocation[(p + 7) % allocation.length]}, included: 3 })`);
    items.push(`item({ featureId: ${consumable[(p * 3) % consumable.length]}, price: { amount: 5, billingUnits: 100, billingMethod: 'prepaid' } })`);
    lines.push(`export const plan${p} = plan({ id: 'plan_${p}', name: 'Plan ${p}', group: 'g${p % 10}', price: { amount: ${p}, interval: 'month' }, items: [`);
    for (const it of items) lines.push(`  ${it},`);
    lines.push(']});');
  }
  return lines.join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'atmn-bench-'));
try {
  const big = join(dir, 'autumn.config.ts');
  const source = generatedConfig();
  writeFileSync(big, source);
  console.log(`generated config: 500 features, 200 plans, 2400 items, ${(source.length / 1024).toFixed(0)} KB`);
  measure('validate autumn.config.example.ts', ['bin/atmn.js', 'validate', '--config', 'autumn.config.example.ts'], root, runs, 250);
  measure('validate --json autumn.config.example.ts', ['bin/atmn.js', 'validate', '--json', '--config', 'autumn.config.example.ts'], root, runs);
  measure('validate generated (200 plans / 500 features)', ['bin/atmn.js', 'validate', '--config', big], root, runs);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
