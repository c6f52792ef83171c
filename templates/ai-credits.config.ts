// AI credit system: one credit balance pays for several models, each at its own cost per request.
import { feature, item, plan } from 'atmn';

export const fastModel = feature({ id: 'fast_model', name: 'Fast Model Requests', type: 'metered', consumable: true });
export const standardModel = feature({ id: 'standard_model', name: 'Standard Model Requests', type: 'metered', consumable: true });
export const reasoningModel = feature({ id: 'reasoning_model', name: 'Reasoning Model Requests', type: 'metered', consumable: true });

// Track requests per model; each draws its cost in credits (fractional costs are fine).
export const aiCredits = feature({
  id: 'ai_credits',
  name: 'AI Credits',
  type: 'credit_system',
  creditSchema: [
    { meteredFeatureId: fastModel.id, creditCost: 0.5 },
    { meteredFeatureId: standardModel.id, creditCost: 2 },
    { meteredFeatureId: reasoningModel.id, creditCost: 10 },
  ],
});

export const free = plan({
  id: 'free',
  name: 'Free',
  autoEnable: true,
  items: [item({ featureId: aiCredits.id, included: 100, reset: { interval: 'month' } })],
});

// $20 / month with 2,000 credits; unused credits roll over for one month (up to 1,000).
// Credits beyond the allowance cost $1 per 100, billed at the end of the month.
export const pro = plan({
  id: 'pro',
  name: 'Pro',
  price: { amount: 20, interval: 'month' },
  items: [
    item({
      featureId: aiCredits.id,
      included: 2000,
      price: { amount: 1, billingUnits: 100, interval: 'month', billingMethod: 'usage_based' },
      rollover: { max: 1000, expiryDurationType: 'month', expiryDurationLength: 1 },
    }),
  ],
});

// A one-time top-up: $5 per 500 credits, at most 10 packs.
export const topUp = plan({
  id: 'top_up',
  name: 'Credit Top-Up',
  addOn: true,
  items: [item({ featureId: aiCredits.id, price: { amount: 5, billingUnits: 500, billingMethod: 'prepaid', maxPurchase: 5000 } })],
});
