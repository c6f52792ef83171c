// What users import from 'atmn': the config builders (issue #2) and the scenario helpers.
export { feature, plan, item, billingControls, reward, referralProgram } from './builders.ts';
export type {
  FeatureConfig,
  PlanConfig,
  ItemConfig,
  BillingControlsConfig,
  RewardConfig,
  ReferralProgramConfig,
  VariantConfig,
  PlanWithVariant,
  Feature,
  Plan,
  PlanItem,
  FreeTrial,
  BillingControls,
  Reward,
  ReferralProgram,
  Variant,
  AutumnConfig,
} from './builders.ts';
export * from './scenario.ts';
