// autumn.config.example.ts — the README quick start: a seat-based team plan and a free plan.
// Try it: npx atmn validate --config autumn.config.example.ts
import { feature, item, plan } from 'atmn';

// Seats are an allocation (consumable: false): they never reset; each seat is an entity.
export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });

// Summaries are used up (consumable: true) and come back every month.
export const summaries = feature({ id: 'summaries', name: 'Meeting Summaries', type: 'metered', consumable: true });

// New customers start here: one free seat with 10 summaries a month.
// free and team share a group, so attaching team replaces free (an upgrade) instead of stacking on it.
export const free = plan({
  id: 'free',
  name: 'Free',
  group: 'main',
  autoEnable: true,
  items: [
    item({ featureId: seats.id, included: 1 }),
    item({ featureId: summaries.id, included: 10, reset: { interval: 'month' }, entityFeatureId: seats.id }),
  ],
});

// $30 / month with one seat included; each extra seat is $30 / month, billed at the end of the period.
// Every seat gets its own 50 summaries a month (entityFeatureId: seats).
export const team = plan({
  id: 'team',
  name: 'Team',
  group: 'main',
  price: { amount: 30, interval: 'month' },
  items: [
    item({ featureId: seats.id, included: 1, price: { amount: 30, interval: 'month', billingUnits: 1, billingMethod: 'usage_based' } }),
    item({ featureId: summaries.id, included: 50, reset: { interval: 'month' }, entityFeatureId: seats.id }),
  ],
});
