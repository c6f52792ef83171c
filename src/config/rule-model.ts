import type { Issue } from '../errors.ts';
import type { FeatureParsed, ItemParsed, PlanShellParsed } from './input-schema.ts';

/**
 * What the cross-reference rules look at: every entity that passed the schema, with the
 * path its issues are reported under. Rules are small named functions (examples.md:
 * changesets rules.ts) that read this model and report issues; none of them throws.
 */
export interface FeatureEntry {
  path: string; // features.seats
  feature: FeatureParsed;
}

export interface ItemEntry {
  path: string; // plans.team.items[1]
  index: number;
  item: ItemParsed;
}

export interface PlanEntry {
  path: string; // plans.team
  plan: PlanShellParsed;
  /** Only the items that passed the schema; a broken item is reported once, by the schema. */
  items: ItemEntry[];
}

export interface RuleModel {
  features: FeatureEntry[];
  plans: PlanEntry[];
  /** First valid declaration of each feature id (duplicates and schema failures excluded). */
  featureById: ReadonlyMap<string, FeatureParsed>;
  /**
   * Every feature id the config declared, even by a feature that failed the schema, so a
   * broken feature does not also produce "feature does not exist" on every item using it.
   */
  declaredFeatureIds: ReadonlySet<string>;
}

export interface Reporter {
  error(path: string, message: string, hint?: string): void;
  warning(path: string, message: string, hint?: string): void;
}

export type Rule = (model: RuleModel, report: Reporter) => void;

export function collectingReporter(): Reporter & { errors: Issue[]; warnings: Issue[] } {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const issue = (path: string, message: string, hint?: string): Issue => (hint ? { path, message, hint } : { path, message });
  return {
    errors,
    warnings,
    error: (path, message, hint) => void errors.push(issue(path, message, hint)),
    warning: (path, message, hint) => void warnings.push(issue(path, message, hint)),
  };
}

/** consumable metered features and credit systems: their balances are used up and reset. */
export function isConsumable(feature: FeatureParsed): boolean {
  return feature.type === 'credit_system' || (feature.type === 'metered' && feature.consumable === true);
}

export function billingOf(item: ItemParsed): 'free' | 'prepaid' | 'usage_based' {
  return item.price ? item.price.billingMethod : 'free';
}

/**
 * The interval the item's balance resets on (semantics R2.3): `reset`, else the price's
 * interval; `one_off` and non-consumable features mean none.
 */
export function effectiveResetKey(item: ItemParsed, feature: FeatureParsed | undefined): string {
  if (!feature || !isConsumable(feature)) return 'none';
  const interval = item.reset?.interval ?? item.price?.interval ?? 'one_off';
  if (interval === 'one_off') return 'none';
  const count = item.reset ? (item.reset.intervalCount ?? 1) : (item.price?.intervalCount ?? 1);
  return count === 1 ? interval : `${count} ${interval}`;
}

export function quote(value: string): string {
  return `'${value}'`;
}

export function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}
