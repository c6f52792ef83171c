/**
 * The config builders users import from 'atmn': feature(), plan(), item() and the
 * pass-through helpers of the official CLI. Each returns a copy of its argument tagged
 * with a non-enumerable marker, so the loader classifies exports reliably (issue #2), and
 * the call site, so a validation error can point at the user's `plan(` line. Types come
 * from the zod input schema with `import type`: the runtime here never loads zod, which
 * keeps the user's config bundle tiny.
 */
import type { FeatureInput, ItemInput, PlanInput } from '../config/input-schema.ts';

/** A feature: a flag, metered usage (consumable or an allocation like seats) or a credit system. */
export type FeatureConfig = FeatureInput;
/** A pricing plan: a base price and the items it grants. */
export type PlanConfig = PlanInput;
/** One grant of a plan: a feature, how much is included, when it resets and what extra units cost. */
export type ItemConfig = ItemInput;
/** Plan-level billing controls, passed through untouched (snake_case inner keys). */
export type BillingControlsConfig = Record<string, unknown>;
/** A reward of the official CLI: accepted so real configs load; atmn does not manage it. */
export type RewardConfig = { id: string; [key: string]: unknown };
/** A referral program of the official CLI: accepted so real configs load; atmn does not manage it. */
export type ReferralProgramConfig = { id: string; [key: string]: unknown };
/** A plan variant of the official CLI: accepted so real configs load; atmn ignores it (with a warning). */
export type VariantConfig = { id: string; name: string; [key: string]: unknown };

/** A plan as `plan()` returns it: the config plus `variant()`, as in the official CLI. */
export type PlanWithVariant = PlanConfig & { variant(params: VariantConfig): VariantConfig };

/** Names of the official CLI's types, so configs that import them keep compiling. */
export type Feature = FeatureConfig;
export type Plan = PlanConfig;
export type PlanItem = ItemConfig;
export type FreeTrial = NonNullable<PlanConfig['freeTrial']>;
export type BillingControls = BillingControlsConfig;
export type Reward = RewardConfig;
export type ReferralProgram = ReferralProgramConfig;
export type Variant = VariantConfig;
/** The shape of a default export: `export default { features, plans }`. */
export type AutumnConfig = { features: FeatureConfig[]; plans: PlanConfig[] };

/** The marker the loader reads (Symbol.for, so copies of this module agree). */
export const KIND = Symbol.for('atmn.kind');
/** Where the builder was called: an Error whose stack is formatted only if a problem is reported. */
export const CALL_SITE = Symbol.for('atmn.callSite');

export type BuilderKind = 'feature' | 'plan' | 'item' | 'variant' | 'reward' | 'referral_program' | 'billing_controls';

/**
 * Declares a feature.
 * @example
 * export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });
 */
export function feature(params: FeatureConfig): FeatureConfig {
  return tag({ ...params }, 'feature', feature);
}

/**
 * Declares a plan and the items it grants.
 * @example
 * export const team = plan({ id: 'team', name: 'Team', price: { amount: 30, interval: 'month' }, items: [
 *   item({ featureId: seats.id, included: 1 }),
 * ] });
 */
export function plan(params: PlanConfig): PlanWithVariant {
  const value = tag({ ...params }, 'plan', plan) as PlanWithVariant;
  Object.defineProperty(value, 'variant', {
    enumerable: false,
    value: function variant(variantParams: VariantConfig): VariantConfig {
      const made = tag({ ...variantParams }, 'variant', variant);
      value.variants = [...(value.variants ?? []), made];
      return made;
    },
  });
  return value;
}

/**
 * One grant of a plan.
 * @example
 * item({ featureId: summaries.id, included: 50, reset: { interval: 'month' }, entityFeatureId: seats.id })
 */
export function item(params: ItemConfig): ItemConfig {
  return tag({ ...params }, 'item', item);
}

/** Plan-level billing controls (official CLI), passed through untouched. */
export function billingControls(params: BillingControlsConfig): BillingControlsConfig {
  return tag({ ...params }, 'billing_controls', billingControls);
}

/** A reward (official CLI). Accepted so real configs load; atmn does not manage rewards. */
export function reward<T extends RewardConfig>(params: T): T {
  return tag({ ...params }, 'reward', reward);
}

/** A referral program (official CLI). Accepted so real configs load; atmn does not manage it. */
export function referralProgram<T extends ReferralProgramConfig>(params: T): T {
  return tag({ ...params }, 'referral_program', referralProgram);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function tag<T extends object>(value: T, kind: BuilderKind, builder: Function): T {
  const site: { stack?: string } = {};
  // Skips the builder's own frame: the top frame is the user's call.
  Error.captureStackTrace(site, builder);
  Object.defineProperty(value, KIND, { value: kind, enumerable: false });
  // The official CLI's marker too, for tools that look for it.
  Object.defineProperty(value, '__atmnType', { value: kind, enumerable: false });
  Object.defineProperty(value, CALL_SITE, { value: site, enumerable: false });
  return value;
}
