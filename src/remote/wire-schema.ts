import { z } from 'zod';

/**
 * The Autumn wire objects of spec/wire.md §2–§4 as zod schemas (snake_case, as sent over
 * HTTP). Read schemas are lenient where hosted Autumn is known to vary (a key omitted
 * instead of null, legacy feature types), strict about what the mapping needs. Unknown
 * keys are stripped (wire.md §1.5: extra keys are harmless). Types are z.infer of these.
 */

export const WirePriceInterval = z.enum(['one_off', 'week', 'month', 'quarter', 'semi_annual', 'year']);
export const WireResetInterval = z.enum(['one_off', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'semi_annual', 'year']);

/** A number-or-absent that hosted may also send as null. */
const optionalNumber = z.number().nullish();
const intervalCount = z.number().int().positive().nullish();

export const WireCurrencyAmount = z.object({
  currency: z.string(),
  amount: z.number().nullish(),
  flat_amount: z.number().nullish(),
});

// ---------------------------------------------------------------- features (§2.1)

/** Every type a reader must accept, legacy ones included (§2.1). */
export const WireFeatureType = z.enum(['boolean', 'metered', 'credit_system', 'ai_credit_system', 'single_use', 'continuous_use']);
export type WireFeatureType = z.infer<typeof WireFeatureType>;

export const WireCreditSchemaEntry = z.object({
  metered_feature_id: z.string(),
  credit_cost: z.number(),
});

export const ApiFeature = z.object({
  id: z.string(),
  name: z.string().nullish(),
  type: WireFeatureType,
  consumable: z.boolean().nullish(),
  event_names: z.array(z.string()).nullish(),
  credit_schema: z.array(WireCreditSchemaEntry).nullish(),
  model_markups: z.record(z.string(), z.unknown()).nullish(),
  default_markup: z.number().nullish(),
  provider_markups: z.record(z.string(), z.unknown()).nullish(),
  display: z.object({ singular: z.string().nullish(), plural: z.string().nullish() }).nullish(),
  archived: z.boolean().nullish(),
});
export type ApiFeature = z.infer<typeof ApiFeature>;

/** REST create/update body (§3.1 FeatureParams); the shape our CLI writes. */
export const FeatureParams = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['boolean', 'metered', 'credit_system']),
  consumable: z.boolean(),
  event_names: z.array(z.string()),
  credit_schema: z.array(WireCreditSchemaEntry).optional(),
});
export type FeatureParams = z.infer<typeof FeatureParams>;

// ---------------------------------------------------------------- plans (§2.2)

export const WirePlanPrice = z.object({
  amount: z.number(),
  interval: WirePriceInterval,
  interval_count: intervalCount,
  additional_currencies: z.array(WireCurrencyAmount).nullish(),
});
export type WirePlanPrice = z.infer<typeof WirePlanPrice>;

export const WireTier = z.object({
  to: z.union([z.number(), z.literal('inf')]),
  amount: z.number(),
  flat_amount: optionalNumber,
  additional_currencies: z.array(WireCurrencyAmount).nullish(),
});
export type WireTier = z.infer<typeof WireTier>;

export const WireItemPrice = z.object({
  amount: optionalNumber,
  tiers: z.array(WireTier).nullish(),
  tier_behavior: z.enum(['graduated', 'volume']).nullish(),
  interval: WirePriceInterval,
  interval_count: intervalCount,
  billing_units: optionalNumber,
  billing_method: z.enum(['prepaid', 'usage_based']).nullish(),
  max_purchase: optionalNumber,
  additional_currencies: z.array(WireCurrencyAmount).nullish(),
});
export type WireItemPrice = z.infer<typeof WireItemPrice>;

export const WireReset = z.object({
  interval: WireResetInterval,
  interval_count: intervalCount,
});
export type WireReset = z.infer<typeof WireReset>;

export const WireRollover = z.object({
  max: optionalNumber,
  max_percentage: optionalNumber,
  expiry_duration_type: z.enum(['month', 'forever']),
  expiry_duration_length: z.number().int().positive().nullish(),
});
export type WireRollover = z.infer<typeof WireRollover>;

export const WireProration = z.object({
  on_increase: z.string(),
  on_decrease: z.string(),
});

/** ApiPlanItem (§2.2) read leniently; ItemParams (§3.1) is the same shape with fewer keys. */
export const WirePlanItem = z.object({
  feature_id: z.string(),
  included: optionalNumber,
  unlimited: z.boolean().nullish(),
  pooled: z.boolean().nullish(),
  entity_feature_id: z.string().nullish(),
  reset: WireReset.nullish(),
  price: WireItemPrice.nullish(),
  rollover: WireRollover.nullish(),
  proration: WireProration.nullish(),
});
export type WirePlanItem = z.infer<typeof WirePlanItem>;

export const WireFreeTrial = z.object({
  duration_length: z.number().int().positive(),
  duration_type: z.enum(['day', 'month', 'year']).nullish(),
  card_required: z.boolean().nullish(),
  on_end: z.enum(['bill', 'revert']).nullish(),
});
export type WireFreeTrial = z.infer<typeof WireFreeTrial>;

export const WireLicense = z.object({
  license_plan_id: z.string(),
  version: z.number().int().nullish(),
  included: z.number().nullish(),
  prepaid_only: z.boolean().nullish(),
});

export const ApiPlan = z.object({
  id: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  group: z.string().nullish(),
  version: z.number().int().nullish(),
  add_on: z.boolean().nullish(),
  auto_enable: z.boolean().nullish(),
  price: WirePlanPrice.nullish(),
  items: z.array(WirePlanItem).nullish(),
  free_trial: WireFreeTrial.nullish(),
  created_at: z.number().nullish(),
  env: z.string().nullish(),
  archived: z.boolean().nullish(),
  billing_controls: z.record(z.string(), z.unknown()).nullish(),
  licenses: z.array(WireLicense).nullish(),
  variant_details: z.object({ base_plan_id: z.string() }).loose().nullish(),
});
export type ApiPlan = z.infer<typeof ApiPlan>;

/** What our CLI writes for an item (§3.1 ItemParams): absent keys mean "the default". */
export interface ItemParamsShape {
  feature_id: string;
  included?: number;
  unlimited?: true;
  entity_feature_id?: string;
  reset?: { interval: z.infer<typeof WireResetInterval>; interval_count?: number };
  price?: Record<string, unknown>;
  rollover?: Record<string, unknown>;
  proration?: { on_increase: string; on_decrease: string };
}

// ---------------------------------------------------------------- envelopes (§1.5, §4)

export const FeatureList = z.object({ list: z.array(z.unknown()) });
export const PlanList = z.object({ list: z.array(z.unknown()) });

/** GET /v1/organization/me (§4.5). */
export const ApiOrganization = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  slug: z.string().nullish(),
  env: z.string().nullish(),
});
export type ApiOrganization = z.infer<typeof ApiOrganization>;

/** The parts of a catalog.preview_update answer (§4.2) that tell us who holds what. */
export const PreviewHolders = z.object({
  feature_changes: z.array(z.object({ feature_id: z.string(), action: z.string(), will_archive: z.boolean().nullish() }).loose()),
  plan_changes: z.array(
    z.object({
      plan_id: z.string(),
      action: z.string(),
      will_archive: z.boolean().nullish(),
      has_customers: z.boolean().nullish(),
      customer_count: z.number().int().nullish(),
    }).loose(),
  ),
});
export type PreviewHolders = z.infer<typeof PreviewHolders>;

/** Every failure body (§1.6). */
export const ApiErrorBody = z.object({
  message: z.string(),
  code: z.string(),
}).loose();
