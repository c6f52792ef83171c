// Credit-based infrastructure: compute and bandwidth draw from monthly credits; usage beyond them is billed as overage.
import { feature, item, plan } from 'atmn';

export const computeHours = feature({ id: 'compute_hours', name: 'Compute Hours', type: 'metered', consumable: true });
export const bandwidthGb = feature({ id: 'bandwidth_gb', name: 'Bandwidth (GB)', type: 'metered', consumable: true });
export const projects = feature({ id: 'projects', name: 'Projects', type: 'metered', consumable: false });

// One credit is one cent of infrastructure: an hour of compute costs 4 credits, a GB of bandwidth 2.
export const credits = feature({
  id: 'credits',
  name: 'Credits',
  type: 'credit_system',
  creditSchema: [
    { meteredFeatureId: computeHours.id, creditCost: 4 },
    { meteredFeatureId: bandwidthGb.id, creditCost: 2 },
  ],
});

export const hobby = plan({
  id: 'hobby',
  name: 'Hobby',
  autoEnable: true,
  items: [
    item({ featureId: credits.id, included: 500, reset: { interval: 'month' } }),
    item({ featureId: projects.id, included: 2 }),
  ],
});

// $20 / month includes 2,500 credits; beyond that, credits cost $0.01 each, billed at the end of the month.
export const pro = plan({
  id: 'pro',
  name: 'Pro',
  price: { amount: 20, interval: 'month' },
  items: [
    item({ featureId: credits.id, included: 2500, price: { amount: 0.01, interval: 'month', billingMethod: 'usage_based' } }),
    item({ featureId: projects.id, included: 20 }),
  ],
});

// Volume discounts on overage: graduated tiers (bounds count the 25,000 included credits).
export const scale = plan({
  id: 'scale',
  name: 'Scale',
  price: { amount: 200, interval: 'month' },
  items: [
    item({
      featureId: credits.id,
      included: 25000,
      price: {
        tiers: [
          { to: 100000, amount: 0.009 },
          { to: 'inf', amount: 0.007 },
        ],
        tierBehavior: 'graduated',
        interval: 'month',
        billingMethod: 'usage_based',
      },
    }),
    item({ featureId: projects.id, unlimited: true }),
  ],
});
