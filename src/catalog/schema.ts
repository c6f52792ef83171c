import { z } from 'zod';

/**
 * The Catalog: the one normalized plan graph every part of atmn converts to and from
 * (design.md "One hub"). Plain data, defaults filled in, no undefined-vs-missing
 * ambiguity: every optional concept is either a value or null.
 */

export const ID_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const Id = z.string().regex(ID_PATTERN);

export const PriceInterval = z.enum(['one_off', 'week', 'month', 'quarter', 'semi_annual', 'year']);
export type PriceInterval = z.infer<typeof PriceInterval>;

export const ResetInterval = z.enum(['one_off', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'semi_annual', 'year']);
export type ResetInterval = z.infer<typeof ResetInterval>;

export const FeatureType = z.enum(['boolean', 'metered', 'credit_system']);
export type FeatureType = z.infer<typeof FeatureType>;

export const CreditSchemaEntry = z.object({
  meteredFeatureId: Id,
  creditCost: z.number(),
});
export type CreditSchemaEntry = z.infer<typeof CreditSchemaEntry>;

export const Feature = z.object({
  id: Id,
  name: z.string(),
  type: FeatureType,
  /** false for boolean features, true for credit systems. */
  consumable: z.boolean(),
  eventNames: z.array(z.string()),
  /** [] unless type is credit_system. */
  creditSchema: z.array(CreditSchemaEntry),
  archived: z.boolean(),
});
export type Feature = z.infer<typeof Feature>;

export const Reset = z.object({
  interval: ResetInterval,
  intervalCount: z.number().int().positive(),
});
export type Reset = z.infer<typeof Reset>;

export const Tier = z.object({
  /** Upper bound in units, counting the item's included units; 'inf' for the last tier. */
  to: z.union([z.number(), z.literal('inf')]),
  amount: z.number(),
  flatAmount: z.number().nullable(),
});
export type Tier = z.infer<typeof Tier>;

/** Exactly one of a flat amount or tiers: the illegal "both" / "neither" states cannot be written. */
export const Rate = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flat'), amount: z.number() }),
  z.object({ kind: z.literal('tiered'), tiers: z.array(Tier).min(1), tierBehavior: z.enum(['graduated', 'volume']) }),
]);
export type Rate = z.infer<typeof Rate>;

export const BillingMethod = z.enum(['prepaid', 'usage_based']);
export type BillingMethod = z.infer<typeof BillingMethod>;

export const ItemPrice = z.object({
  rate: Rate,
  interval: PriceInterval,
  intervalCount: z.number().int().positive(),
  billingUnits: z.number().positive(),
  billingMethod: BillingMethod,
  maxPurchase: z.number().nullable(),
});
export type ItemPrice = z.infer<typeof ItemPrice>;

export const Rollover = z.object({
  /** null means no fixed cap (a wire max of 0 is read as null, semantics R7.9). */
  max: z.number().nullable(),
  maxPercentage: z.number().nullable(),
  expiryDurationType: z.enum(['month', 'forever']),
  expiryDurationLength: z.number().int().positive(),
});
export type Rollover = z.infer<typeof Rollover>;

export const Proration = z.object({
  onIncrease: z.string(),
  onDecrease: z.string(),
});
export type Proration = z.infer<typeof Proration>;

export const Item = z.object({
  featureId: Id,
  /** 0 when not given, and when unlimited. */
  included: z.number(),
  unlimited: z.boolean(),
  /** As declared; null when the config gave none (the engine derives the effective interval, semantics R2.3). */
  reset: Reset.nullable(),
  price: ItemPrice.nullable(),
  /** Set on per-entity items: every entity of this feature gets its own balance (a slice). */
  entityFeatureId: Id.nullable(),
  rollover: Rollover.nullable(),
  proration: Proration.nullable(),
});
export type Item = z.infer<typeof Item>;

export const PlanPrice = z.object({
  amount: z.number(),
  interval: PriceInterval,
  intervalCount: z.number().int().positive(),
});
export type PlanPrice = z.infer<typeof PlanPrice>;

export const FreeTrial = z.object({
  durationLength: z.number().int().positive(),
  durationType: z.enum(['day', 'month', 'year']),
  cardRequired: z.boolean(),
});
export type FreeTrial = z.infer<typeof FreeTrial>;

export const Plan = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  /** null for no group ('' and null are the same thing, wire.md §2.3). */
  group: z.string().min(1).nullable(),
  addOn: z.boolean(),
  autoEnable: z.boolean(),
  price: PlanPrice.nullable(),
  freeTrial: FreeTrial.nullable(),
  /** In declared order: an item's index is its position here (semantics R1.4). */
  items: z.array(Item),
  archived: z.boolean(),
  /** Carried verbatim (snake_case inner keys, wire.md §2.3); never interpreted. */
  billingControls: z.record(z.string(), z.unknown()).nullable(),
});
export type Plan = z.infer<typeof Plan>;

export const Catalog = z.object({
  features: z.record(Id, Feature),
  plans: z.record(Id, Plan),
});
export type Catalog = z.infer<typeof Catalog>;

export function emptyCatalog(): Catalog {
  return { features: {}, plans: {} };
}
