// Per-seat issue tracker: every member is a seat billed per month; AI triage runs are allowed per seat.
import { feature, item, plan } from 'atmn';

export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });
export const projects = feature({ id: 'projects', name: 'Projects', type: 'metered', consumable: false });
export const aiTriage = feature({ id: 'ai_triage', name: 'AI Triage Runs', type: 'metered', consumable: true });
export const sso = feature({ id: 'sso', name: 'SAML SSO', type: 'boolean' });

// Up to 3 members and 2 projects for free.
export const free = plan({
  id: 'free',
  name: 'Free',
  autoEnable: true,
  group: 'tracker',
  items: [
    item({ featureId: seats.id, included: 3 }),
    item({ featureId: projects.id, included: 2 }),
  ],
});

// $8 per seat per month, no base fee; each seat gets 20 AI triage runs a month.
export const standard = plan({
  id: 'standard',
  name: 'Standard',
  group: 'tracker',
  items: [
    item({ featureId: seats.id, price: { amount: 8, interval: 'month', billingMethod: 'usage_based' } }),
    item({ featureId: projects.id, unlimited: true }),
    item({ featureId: aiTriage.id, included: 20, reset: { interval: 'month' }, entityFeatureId: seats.id }),
  ],
});

// $14 per seat per month, with SSO and 100 AI triage runs per seat.
export const business = plan({
  id: 'business',
  name: 'Business',
  group: 'tracker',
  items: [
    item({ featureId: seats.id, price: { amount: 14, interval: 'month', billingMethod: 'usage_based' } }),
    item({ featureId: projects.id, unlimited: true }),
    item({ featureId: aiTriage.id, included: 100, reset: { interval: 'month' }, entityFeatureId: seats.id }),
    item({ featureId: sso.id }),
  ],
});
