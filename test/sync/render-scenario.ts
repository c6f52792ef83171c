import type { Catalog } from '../../src/catalog/schema.ts';
import { feature, item, monthly, plan, teamExample, usagePrice } from './catalog-builders.ts';

/** One remote/config pair that exercises every change kind, for the render snapshots. */
export function renderScenario(): { local: Catalog; remote: Catalog } {
  const remote = teamExample();
  remote.features.legacy = feature('legacy');
  remote.features.beta = feature('beta', { type: 'boolean', consumable: false });
  remote.plans.starter = plan('starter', [item('legacy', { included: 10, reset: monthly })]);
  remote.plans.archivedPro = plan('archivedPro', [], { archived: true, name: 'Old Pro' });
  remote.plans.team!.name = 'Teams';

  const local = teamExample();
  local.features.sso = feature('sso', { name: 'SSO', type: 'boolean', consumable: false });
  local.features.beta = feature('beta', { type: 'boolean', consumable: false, archived: true });
  local.features.summaries!.eventNames = ['summary.created'];
  local.plans.team!.price = { amount: 35, interval: 'month', intervalCount: 1 };
  local.plans.team!.items[0] = item('seats', { included: 1, price: usagePrice(30, { maxPurchase: 50 }) });
  local.plans.team!.items.push(item('sso'));
  local.plans.archivedPro = plan('archivedPro', [], { name: 'Old Pro' });
  local.plans.enterprise = plan('enterprise', [item('sso'), item('seats', { unlimited: true })], {
    group: 'main',
    price: { amount: 500, interval: 'year', intervalCount: 1 },
    freeTrial: { durationLength: 14, durationType: 'day', cardRequired: false },
  });
  return { local, remote };
}

export const scenarioHolders = { plans: { team: 12, starter: 3 }, features: {} };
