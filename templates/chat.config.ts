// Chat app: monthly message limits per plan, and a credits add-on for extra messages and images.
import { feature, item, plan } from 'atmn';

export const messages = feature({ id: 'messages', name: 'Messages', type: 'metered', consumable: true });
export const images = feature({ id: 'images', name: 'Image Generations', type: 'metered', consumable: true });

// Credits pay for messages (1 credit each) and images (10 credits each) once a plan's own limits run out.
export const credits = feature({
  id: 'credits',
  name: 'Credits',
  type: 'credit_system',
  creditSchema: [
    { meteredFeatureId: messages.id, creditCost: 1 },
    { meteredFeatureId: images.id, creditCost: 10 },
  ],
});

export const free = plan({
  id: 'free',
  name: 'Free',
  autoEnable: true,
  items: [item({ featureId: messages.id, included: 50, reset: { interval: 'month' } })],
});

export const pro = plan({
  id: 'pro',
  name: 'Pro',
  price: { amount: 20, interval: 'month' },
  items: [
    item({ featureId: messages.id, included: 2000, reset: { interval: 'month' } }),
    item({ featureId: images.id, included: 100, reset: { interval: 'month' } }),
  ],
});

// Bought once, on top of any plan: $10 per pack of 1,000 credits that never expire.
export const creditPack = plan({
  id: 'credit_pack',
  name: 'Credit Pack',
  addOn: true,
  items: [item({ featureId: credits.id, price: { amount: 10, billingUnits: 1000, billingMethod: 'prepaid' } })],
});
