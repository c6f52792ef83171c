import type { Rule } from './rule-model.ts';
import { consumableMatchesType, creditSchemaPlacement, creditSchemaReferences, meteredNeedsConsumable } from './rules-features.ts';
import {
  booleanItemTakesNoAmounts,
  consumableNeedsReset,
  entityFeatureValid,
  ignoredItemFields,
  includedNotNegative,
  itemFeatureExists,
  prepaidPerEntityWarning,
  resetMatchesUsageBasedPrice,
  resetOnAllocationIgnored,
  resetValid,
  rolloverValid,
  unlimitedIgnoresAmounts,
  usageBasedNeedsInterval,
} from './rules-items.ts';
import { autoEnableWithoutCardTrial, freeTrialValid, ignoredPlanFields, noDuplicateGrants, oneAutoEnablePerGroup, planPriceValid } from './rules-plans.ts';
import { priceAmountXorTiers, priceNumbersValid, tierBehaviorWarnings, tiersValid } from './rules-prices.ts';

/**
 * Every cross-reference rule, in the order their issues are reported within one entity.
 * Id format and uniqueness are checked while paths are assigned (validate.ts), since
 * the path of an entity depends on its id.
 */
export const RULES: readonly Rule[] = [
  meteredNeedsConsumable,
  consumableMatchesType,
  creditSchemaPlacement,
  creditSchemaReferences,
  planPriceValid,
  freeTrialValid,
  autoEnableWithoutCardTrial,
  oneAutoEnablePerGroup,
  itemFeatureExists,
  booleanItemTakesNoAmounts,
  includedNotNegative,
  unlimitedIgnoresAmounts,
  consumableNeedsReset,
  resetValid,
  resetOnAllocationIgnored,
  resetMatchesUsageBasedPrice,
  priceAmountXorTiers,
  priceNumbersValid,
  usageBasedNeedsInterval,
  tiersValid,
  tierBehaviorWarnings,
  entityFeatureValid,
  prepaidPerEntityWarning,
  rolloverValid,
  noDuplicateGrants,
  ignoredPlanFields,
  ignoredItemFields,
];
