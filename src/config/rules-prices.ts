import { isPositiveInteger, type ItemEntry, type Reporter, type Rule } from './rule-model.ts';

/** Rules about an item's price: amount xor tiers, sane numbers, tier bounds (semantics R2.8). */

function forEachPrice(visit: (entry: ItemEntry, report: Reporter) => void): Rule {
  return (model, report) => {
    for (const plan of model.plans) for (const entry of plan.items) if (entry.item.price) visit(entry, report);
  };
}

/** Exactly one of a flat `amount` or `tiers`. */
export const priceAmountXorTiers = forEachPrice(({ path, item }, report) => {
  const price = item.price!;
  if (price.amount !== undefined && price.tiers !== undefined) {
    report.error(`${path}.price`, 'give either amount or tiers, not both', 'keep amount for one price per billingUnits, or tiers for prices that change with usage');
  } else if (price.amount === undefined && price.tiers === undefined) {
    report.error(`${path}.price`, 'a price needs amount or tiers', 'add amount: the price of one pack of billingUnits units, e.g. amount: 10');
  }
});

/** Amounts and limits are never negative; packs hold a positive number of units. */
export const priceNumbersValid = forEachPrice(({ path, item }, report) => {
  const price = item.price!;
  if (price.amount !== undefined && price.amount < 0) {
    report.error(`${path}.price.amount`, `amount cannot be negative (got ${price.amount})`);
  }
  if (price.billingUnits !== undefined && !(price.billingUnits > 0)) {
    report.error(`${path}.price.billingUnits`, `billingUnits must be greater than 0 (got ${price.billingUnits})`, 'billingUnits is how many units one price buys, e.g. billingUnits: 100');
  }
  if (price.maxPurchase !== undefined && price.maxPurchase !== null && price.maxPurchase < 0) {
    report.error(`${path}.price.maxPurchase`, `maxPurchase cannot be negative (got ${price.maxPurchase})`, 'remove maxPurchase for no limit');
  }
  if (price.intervalCount !== undefined && !isPositiveInteger(price.intervalCount)) {
    report.error(`${path}.price.intervalCount`, `intervalCount must be a whole number of at least 1 (got ${price.intervalCount})`);
  }
});

/**
 * Tier bounds strictly increase, only the last is (and must be) 'inf', and the first
 * ends above the included units, since bounds count them.
 */
export const tiersValid = forEachPrice(({ path, item }, report) => {
  const tiers = item.price!.tiers;
  if (!tiers) return;
  if (tiers.length === 0) {
    report.error(`${path}.price.tiers`, 'tiers cannot be empty', "add at least one tier, e.g. tiers: [{ to: 'inf', amount: 0.01 }]");
    return;
  }
  const included = item.included ?? 0;
  let previous: number | undefined;
  tiers.forEach((tier, index) => {
    const at = `${path}.price.tiers[${index}]`;
    const last = index === tiers.length - 1;
    if (tier.amount < 0) report.error(`${at}.amount`, `amount cannot be negative (got ${tier.amount})`);
    if (tier.flatAmount !== undefined && tier.flatAmount < 0) report.error(`${at}.flatAmount`, `flatAmount cannot be negative (got ${tier.flatAmount})`);
    if (tier.to === 'inf') {
      if (!last) report.error(`${at}.to`, "only the last tier may go to 'inf'", "give this tier a number bound, or remove the tiers after it");
      return;
    }
    if (last) {
      report.error(`${at}.to`, `the last tier must end with to: 'inf' (got ${tier.to})`, "add a final tier { to: 'inf', amount: … } for usage beyond the last bound");
    }
    if (index === 0 && !(tier.to > included)) {
      report.error(`${at}.to`, `the first tier must end above the ${included} included units (got ${tier.to}); tier bounds count the included units`, `e.g. to: ${included + 1000}`);
    }
    if (previous !== undefined && !(tier.to > previous)) {
      report.error(`${at}.to`, `tier bounds must increase: ${tier.to} follows ${previous}`, 'list the tiers in ascending order of to');
    }
    previous = tier.to;
  });
});

/** tierBehavior only applies to tiers; volume tiers on usage-based prices fail on hosted Autumn (R2.8). */
export const tierBehaviorWarnings = forEachPrice(({ path, item }, report) => {
  const price = item.price!;
  if (price.tierBehavior !== undefined && price.tiers === undefined) {
    report.warning(`${path}.price.tierBehavior`, 'tierBehavior applies only to tiers and is ignored here', 'remove tierBehavior');
  }
  if (price.tierBehavior === 'volume' && price.tiers !== undefined && price.billingMethod === 'usage_based') {
    report.warning(
      `${path}.price.tierBehavior`,
      'volume tiers on a usage_based price: the local engine prices them, but hosted Autumn accepts volume tiers only on prepaid items, so a push there would fail',
      "use tierBehavior: 'graduated', or billingMethod: 'prepaid'",
    );
  }
  if (price.additionalCurrencies?.length) report.warning(`${path}.price.additionalCurrencies`, 'additional currencies are not modelled by atmn and are ignored');
  price.tiers?.forEach((tier, index) => {
    if (tier.additionalCurrencies?.length) report.warning(`${path}.price.tiers[${index}].additionalCurrencies`, 'additional currencies are not modelled by atmn and are ignored');
  });
});
