import { z } from 'zod';
import { BillingMethod, FeatureType, PriceInterval, ResetInterval } from '../catalog/schema.ts';

/**
 * The config INPUT schema: what `feature()`, `plan()` and `item()` accept in
 * autumn.config.ts (camelCase, compatible with the official Autumn CLI's configs).
 * The DSL's TypeScript types are `z.input` of these schemas (one schema, one type), so
 * the JSDoc on each field is what editors show. Objects are strict: an unknown key is an
 * error with a "did you mean" hint. Fields the official CLI knows but atmn does not model
 * (`pooled`, `additionalCurrencies`, `licenses`, `variants`, …) are accepted so real
 * configs load; a rule warns when they would change behaviour.
 *
 * Keep every property on its own line with its JSDoc above it: TypeScript only carries a
 * JSDoc comment into `z.input` when it sits on its own line before the property.
 */

const Id = z.string();

/** Both vocabularies (the atmn DSL's and the hosted API's) are accepted (wire.md §2.2). */
const ON_INCREASE = ['prorate', 'charge_immediately', 'bill_immediately', 'prorate_immediately', 'prorate_next_cycle', 'bill_next_cycle'] as const;
const ON_DECREASE = ['prorate', 'refund_immediately', 'no_action', 'prorate_immediately', 'prorate_next_cycle', 'none', 'no_prorations'] as const;

export const additionalCurrencyShape = {
  /** Three-letter ISO currency code (e.g. 'eur', 'gbp'). */
  currency: z.string(),
  /** Amount in this currency. */
  amount: z.number(),
};
export const AdditionalCurrency: z.ZodObject<typeof additionalCurrencyShape, z.core.$strict> = z.strictObject(additionalCurrencyShape);

export const additionalCurrencyTierShape = {
  /** Three-letter ISO currency code (e.g. 'eur', 'gbp'). */
  currency: z.string(),
  /** Per-unit amount for this tier in this currency. */
  amount: z.number().optional(),
  /** Flat amount for this tier in this currency. */
  flatAmount: z.number().optional(),
};
export const AdditionalCurrencyTier: z.ZodObject<typeof additionalCurrencyTierShape, z.core.$strict> = z.strictObject(additionalCurrencyTierShape);

export const creditSchemaEntryInputShape = {
  /** The id of a metered, consumable feature that this credit system pays for. */
  meteredFeatureId: Id,
  /** How many credits one unit of that feature costs (may be fractional, e.g. 2.5). */
  creditCost: z.number(),
};
export const CreditSchemaEntryInput: z.ZodObject<typeof creditSchemaEntryInputShape, z.core.$strict> = z.strictObject(creditSchemaEntryInputShape);

export const featureInputShape = {
  /** Unique id of the feature (letters, digits, `_` and `-`); what your app passes to check and track. */
  id: Id,
  /** Display name, shown in pricing tables and invoices. */
  name: z.string(),
  /**
   * - `'boolean'`: a flag, on or off (e.g. SSO).
   * - `'metered'`: counted usage; say `consumable: true` for usage that is used up (API calls,
   *   messages) or `consumable: false` for allocations (seats, storage).
   * - `'credit_system'`: a balance of credits that several metered features draw from.
   */
  type: FeatureType,
  /**
   * Metered features only, and required for them: `true` if usage is used up and resets
   * (messages), `false` if it is an allocation that never resets (seats). Boolean features
   * are never consumable; credit systems always are.
   */
  consumable: z.boolean().optional(),
  /** Event names that draw from this feature when tracked. Default: none. */
  eventNames: z.array(z.string()).optional(),
  /** Credit systems only, and required for them: which metered features draw credits, and at what cost. */
  creditSchema: z.array(CreditSchemaEntryInput).optional(),
  /** An archived feature stays in the catalog but is hidden from new plans. Default: false. */
  archived: z.boolean().optional(),
};
export const FeatureInput: z.ZodObject<typeof featureInputShape, z.core.$strict> = z.strictObject(featureInputShape);

export const resetInputShape = {
  /** How often the included amount resets. `'one_off'` means never (a lifetime grant). */
  interval: ResetInterval,
  /** Number of intervals between resets. Default: 1. */
  intervalCount: z.number().optional(),
};
export const ResetInput: z.ZodObject<typeof resetInputShape, z.core.$strict> = z.strictObject(resetInputShape);

export const tierInputShape = {
  /**
   * Upper bound of this tier in units, counting the item's included units; `'inf'` for the
   * last tier. Bounds must strictly increase.
   */
  to: z.union([z.number(), z.literal('inf')]),
  /** Price of one pack of `billingUnits` units inside this tier. */
  amount: z.number(),
  /** A flat fee charged once when usage reaches this tier. Default: none. */
  flatAmount: z.number().optional(),
  /** Per-tier amounts in other currencies (accepted and ignored by atmn). */
  additionalCurrencies: z.array(AdditionalCurrencyTier).optional(),
};
export const TierInput: z.ZodObject<typeof tierInputShape, z.core.$strict> = z.strictObject(tierInputShape);

export const itemPriceInputShape = {
  /** Price of one pack of `billingUnits` units. Give either `amount` or `tiers`, not both. */
  amount: z.number().optional(),
  /** Tiered pricing by usage range. Give either `amount` or `tiers`, not both. */
  tiers: z.array(TierInput).optional(),
  /** How tiers apply: `'graduated'` (each unit at its tier's rate) or `'volume'` (all units at the reached tier's rate). Default: 'graduated'. */
  tierBehavior: z.enum(['graduated', 'volume']).optional(),
  /** Billing interval of this price. Omit for a one-off charge. Default: 'one_off'. */
  interval: PriceInterval.optional(),
  /** Number of intervals per billing cycle. Default: 1. */
  intervalCount: z.number().optional(),
  /** Units per pack: `amount: 5, billingUnits: 100` is $5 per 100 units. Default: 1. */
  billingUnits: z.number().optional(),
  /**
   * Required. `'prepaid'`: the customer buys a quantity up front. `'usage_based'`: usage
   * beyond `included` is billed in arrears, at the end of the period.
   */
  billingMethod: BillingMethod,
  /** Most units that may be bought (prepaid) or used beyond `included` (usage-based). Default: no limit. */
  maxPurchase: z.number().nullable().optional(),
  /** Flat price amounts in other currencies (accepted and ignored by atmn). */
  additionalCurrencies: z.array(AdditionalCurrency).optional(),
};
export const ItemPriceInput: z.ZodObject<typeof itemPriceInputShape, z.core.$strict> = z.strictObject(itemPriceInputShape);

export const rolloverInputShape = {
  /** Most units that may roll over. Give `max` or `maxPercentage`, not both; neither means no cap. */
  max: z.number().nullable().optional(),
  /** Most units that may roll over, as a percentage (0–100) of the period's grant. */
  maxPercentage: z.number().nullable().optional(),
  /** `'month'`: rolled-over units expire after `expiryDurationLength` months; `'forever'`: never. */
  expiryDurationType: z.enum(['month', 'forever']),
  /** Months until rolled-over units expire (with `expiryDurationType: 'month'`). Default: 1. */
  expiryDurationLength: z.number().optional(),
};
export const RolloverInput: z.ZodObject<typeof rolloverInputShape, z.core.$strict> = z.strictObject(rolloverInputShape);

export const prorationInputShape = {
  /** What happens when the quantity goes up mid-cycle (stored; the local engine does not prorate). */
  onIncrease: z.enum(ON_INCREASE),
  /** What happens when the quantity goes down mid-cycle (stored; the local engine does not prorate). */
  onDecrease: z.enum(ON_DECREASE),
};
export const ProrationInput: z.ZodObject<typeof prorationInputShape, z.core.$strict> = z.strictObject(prorationInputShape);

export const itemInputShape = {
  /** The id of the feature this item grants. */
  featureId: Id,
  /** Units granted per reset period (per entity, with `entityFeatureId`). Default: 0. */
  included: z.number().optional(),
  /** Unlimited usage: `included` and `price` are then ignored. Default: false. */
  unlimited: z.boolean().optional(),
  /**
   * When the included amount resets. Consumable features need a reset or a priced interval
   * (`{ interval: 'one_off' }` makes a lifetime grant). Default: the price's interval, if any.
   */
  reset: ResetInput.optional(),
  /** Pricing for units beyond `included` (usage-based) or bought up front (prepaid). Default: free. */
  price: ItemPriceInput.optional(),
  /**
   * Makes the item per-entity: every entity of this feature (e.g. `'seats'`) gets its own
   * balance of `included`. Must name a boolean or a non-consumable metered feature.
   */
  entityFeatureId: Id.nullable().optional(),
  /** Carry unused units into the next period. Consumable items only. */
  rollover: RolloverInput.optional(),
  /** Proration rules for mid-cycle quantity changes. */
  proration: ProrationInput.optional(),
  /** Official CLI field for pooled entity grants (accepted; atmn does not model pooling). */
  pooled: z.boolean().optional(),
  /** Written by `atmn pull` of the official CLI (accepted and ignored). */
  entitlementId: z.string().optional(),
  /** Written by `atmn pull` of the official CLI (accepted and ignored). */
  priceId: z.string().optional(),
};
export const ItemInput: z.ZodObject<typeof itemInputShape, z.core.$strict> = z.strictObject(itemInputShape);

export const planPriceInputShape = {
  /** Base price in your currency (50 means $50.00). */
  amount: z.number(),
  /** Billing frequency of the base price. */
  interval: PriceInterval,
  /** Number of intervals per billing cycle. Default: 1. */
  intervalCount: z.number().optional(),
  /** Base price amounts in other currencies (accepted and ignored by atmn). */
  additionalCurrencies: z.array(AdditionalCurrency).optional(),
};
export const PlanPriceInput: z.ZodObject<typeof planPriceInputShape, z.core.$strict> = z.strictObject(planPriceInputShape);

export const freeTrialInputShape = {
  /** Length of the trial, in `durationType` units. */
  durationLength: z.number(),
  /** Unit of `durationLength`. Default: 'day'. */
  durationType: z.enum(['day', 'month', 'year']).optional(),
  /** Whether a payment method is needed to start the trial. Default: true. */
  cardRequired: z.boolean().optional(),
};
export const FreeTrialInput: z.ZodObject<typeof freeTrialInputShape, z.core.$strict> = z.strictObject(freeTrialInputShape);

/**
 * A plan. `items` is checked item by item (see validate.ts), so it is typed here but
 * parsed with `PlanShellInput`, which leaves the items for the per-item pass.
 */
export const planFields = {
  /** Unique id of the plan (letters, digits, `_` and `-`); used in checkout and attach. */
  id: Id,
  /** Display name, shown in pricing tables and billing. */
  name: z.string(),
  /** Optional description of the plan. Default: none. */
  description: z.string().nullable().optional(),
  /** Plans of one group replace each other on upgrade and downgrade. Default: no group. */
  group: z.string().nullable().optional(),
  /** An add-on is bought alongside other plans instead of replacing them. Default: false. */
  addOn: z.boolean().optional(),
  /** Attach automatically to new customers (for free tiers). At most one per group. Default: false. */
  autoEnable: z.boolean().optional(),
  /** Base subscription price. Default: none (free, or priced only by its items). */
  price: PlanPriceInput.nullable().optional(),
  /** Free trial before billing begins. Default: none. */
  freeTrial: FreeTrialInput.nullable().optional(),
  /** An archived plan stays in the catalog but cannot be attached anew. Default: false. */
  archived: z.boolean().optional(),
  /** Plan-level billing controls (snake_case inner keys), passed through untouched. */
  billingControls: z.record(z.string(), z.unknown()).nullable().optional(),
  /** Official CLI license plans (accepted and ignored by atmn). */
  licenses: z.array(z.unknown()).optional(),
  /** Official CLI plan variants (accepted and ignored by atmn). */
  variants: z.array(z.unknown()).optional(),
  /** Written by `atmn pull` of the official CLI (accepted and ignored). */
  version: z.number().optional(),
};

export const planInputShape = {
  ...planFields,
  /** What the plan grants, one `item()` per feature (in this order). Default: none. */
  items: z.array(ItemInput).optional(),
};
export const PlanInput: z.ZodObject<typeof planInputShape, z.core.$strict> = z.strictObject(planInputShape);

/** The plan without its items: validate.ts parses each item on its own, so one bad item hides nothing else. */
export const planShellInputShape = {
  ...planFields,
  items: z.array(z.unknown()).optional(),
};
export const PlanShellInput: z.ZodObject<typeof planShellInputShape, z.core.$strict> = z.strictObject(planShellInputShape);

export type FeatureInput = z.input<typeof FeatureInput>;
export type PlanInput = z.input<typeof PlanInput>;
export type ItemInput = z.input<typeof ItemInput>;
export type FeatureParsed = z.output<typeof FeatureInput>;
export type PlanShellParsed = z.output<typeof PlanShellInput>;
export type ItemParsed = z.output<typeof ItemInput>;

/**
 * The same objects without the unknown-key check (nested objects stay strict). When an
 * entity's only problem is a misspelled key, validate.ts still runs the rules on it, so
 * the typo does not hide the entity's other errors.
 */
export const LooseFeatureInput = z.object(featureInputShape);
export const LoosePlanShellInput = z.object(planShellInputShape);
export const LooseItemInput = z.object(itemInputShape);
