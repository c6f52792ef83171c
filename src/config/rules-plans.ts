import { billingOf, effectiveResetKey, isPositiveInteger, quote, type Rule } from './rule-model.ts';

/** Rules about a plan as a whole, and about how its items relate (issue #2, item 4). */

/** A base price is a non-negative amount billed every whole number of intervals. */
export const planPriceValid: Rule = (model, report) => {
  for (const { path, plan } of model.plans) {
    if (!plan.price) continue;
    if (plan.price.amount < 0) {
      report.error(`${path}.price.amount`, `the base price cannot be negative (got ${plan.price.amount})`, 'use amount: 0 or remove price for a free plan');
    }
    const count = plan.price.intervalCount;
    if (count !== undefined && !isPositiveInteger(count)) {
      report.error(`${path}.price.intervalCount`, `intervalCount must be a whole number of at least 1 (got ${count})`, 'e.g. intervalCount: 3 bills every 3 months with interval: month');
    }
  }
};

/** A trial lasts a whole number of days, months or years. */
export const freeTrialValid: Rule = (model, report) => {
  for (const { path, plan } of model.plans) {
    const trial = plan.freeTrial;
    if (trial && !isPositiveInteger(trial.durationLength)) {
      report.error(`${path}.freeTrial.durationLength`, `durationLength must be a whole number of at least 1 (got ${trial.durationLength})`, 'e.g. freeTrial: { durationLength: 14, durationType: "day" }');
    }
  }
};

/** New customers have no card, so an auto-enabled plan cannot start a card-required trial. */
export const autoEnableWithoutCardTrial: Rule = (model, report) => {
  for (const { path, plan } of model.plans) {
    if (plan.autoEnable === true && plan.freeTrial && plan.freeTrial.cardRequired !== false) {
      const implied = plan.freeTrial.cardRequired === undefined ? ' (cardRequired defaults to true)' : '';
      report.error(
        `${path}.autoEnable`,
        `plan ${quote(plan.id)} is attached automatically to new customers, who have no card, but its free trial requires one${implied}`,
        'set freeTrial.cardRequired: false, or remove autoEnable',
      );
    }
  }
};

/** New customers get at most one auto-enabled plan per group. */
export const oneAutoEnablePerGroup: Rule = (model, report) => {
  const firstInGroup = new Map<string, string>();
  for (const { path, plan } of model.plans) {
    if (plan.autoEnable !== true || plan.addOn === true || plan.archived === true) continue;
    const group = plan.group ?? '';
    const first = firstInGroup.get(group);
    if (first === undefined) {
      firstInGroup.set(group, plan.id);
      continue;
    }
    const where = group === '' ? 'with no group' : `in group ${quote(group)}`;
    report.error(
      `${path}.autoEnable`,
      `plans ${quote(first)} and ${quote(plan.id)} are both autoEnable ${where}; a new customer can get only one of them`,
      `keep autoEnable on one plan, or put them in different groups`,
    );
  }
};

/**
 * Two items of one plan may grant the same feature only when they differ in
 * entityFeatureId, reset interval or billing method (a shared pool plus a per-seat slice
 * is a normal plan). Otherwise they are the same grant written twice.
 */
export const noDuplicateGrants: Rule = (model, report) => {
  for (const { path, plan, items } of model.plans) {
    const seen = new Map<string, number>();
    for (const { path: itemPath, index, item } of items) {
      const feature = model.featureById.get(item.featureId);
      const key = [item.featureId, item.entityFeatureId ?? '', effectiveResetKey(item, feature), billingOf(item)].join('\u0000');
      const earlier = seen.get(key);
      if (earlier === undefined) {
        seen.set(key, index);
        continue;
      }
      report.error(
        `${itemPath}.featureId`,
        `plan ${quote(plan.id)} already grants ${quote(item.featureId)} in ${path}.items[${earlier}] with the same entityFeatureId, reset interval and billing method`,
        'merge the two items into one, or make them differ (entityFeatureId, reset interval or billingMethod)',
      );
    }
  }
};

/** The official CLI's licenses, variants and extra currencies are accepted but not modelled. */
export const ignoredPlanFields: Rule = (model, report) => {
  for (const { path, plan } of model.plans) {
    if (plan.licenses && plan.licenses.length > 0) {
      report.warning(`${path}.licenses`, 'licenses are not modelled by atmn and are ignored', 'manage licenses with the official Autumn CLI or dashboard');
    }
    if (plan.variants && plan.variants.length > 0) {
      report.warning(`${path}.variants`, 'plan variants are not modelled by atmn and are ignored', 'declare each variant as its own plan() to use it with atmn');
    }
    if (plan.price?.additionalCurrencies && plan.price.additionalCurrencies.length > 0) {
      report.warning(`${path}.price.additionalCurrencies`, 'additional currencies are not modelled by atmn and are ignored');
    }
  }
};
