import type { Catalog } from '../catalog/schema.ts';
import type { InvoiceLine } from '../engine/index.ts';
import { plainDecimal, roundHalfEven } from './decimal.ts';
import type { BalanceChange } from './ledger.ts';

/** Text pieces shared by the report renderers: numbers, money, balance labels, bill lines. */

/** A figure as a person reads it: at most 6 decimals (half-even), no exponent, no trailing zeros. */
export function formatNumber(value: number): string {
  const scaled = roundHalfEven(value, 6);
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(7, '0');
  const whole = digits.slice(0, -6);
  const fraction = digits.slice(-6).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? '.' + fraction : ''}`;
}

/** $1,234.50 (amounts are already rounded to cents by the engine, R8.8). */
export function formatMoney(amount: number): string {
  // On the decimal digits, not `amount * 100`: past 2^53 cents that product is off by dollars.
  const scaled = roundHalfEven(amount, 2);
  const cents = scaled < 0n ? -scaled : scaled;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${scaled < 0n ? '-' : ''}$${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** A price per pack as written in the config: $30, $0.50, $0.002. */
function formatPrice(amount: number): string {
  if (Math.round(amount * 100) === amount * 100) return formatMoney(amount);
  return `$${plainDecimal(amount)}`;
}

/**
 * `summaries@alice`, `seats`, `messages@e1 (addon)`: which balance a change touched. Pool
 * balances name their plan when the feature has several pools (`credits (free)`).
 */
function balanceLabel(change: Pick<BalanceChange, 'feature_id' | 'owner' | 'entity_id' | 'plan_id'>, ambiguous: ReadonlySet<string> = new Set()): string {
  if (change.owner === 'customer') return ambiguous.has(change.feature_id) ? `${change.feature_id} (${change.plan_id})` : change.feature_id;
  if (change.owner === 'slice') return `${change.feature_id}@${change.entity_id}`;
  return `${change.feature_id}@${change.entity_id} (${change.plan_id})`;
}

/** Features with more than one pool balance among the changes: their labels name the plan. */
export function ambiguousPools(changes: readonly BalanceChange[]): Set<string> {
  const pools = new Map<string, Set<string>>();
  for (const change of changes) {
    if (change.owner !== 'customer') continue;
    const ids = pools.get(change.feature_id) ?? new Set<string>();
    ids.add(change.balance_id);
    pools.set(change.feature_id, ids);
  }
  return new Set([...pools].filter(([, ids]) => ids.size > 1).map(([feature]) => feature));
}

/** `summaries@alice 50→0`, `summaries@bob new 50`, `summaries@dave removed`. */
export function formatChange(change: BalanceChange, ambiguous?: ReadonlySet<string>): string {
  const label = balanceLabel(change, ambiguous);
  const unit = change.unlimited ? ' used' : '';
  if (change.before === null) return `${label} new ${formatNumber(change.after ?? 0)}${unit}`;
  if (change.after === null) return `${label} removed`;
  return `${label} ${formatNumber(change.before)}→${formatNumber(change.after)}${unit}`;
}

/**
 * A bill line the way a founder reads it: "team base price",
 * "seats: 4 extra × $30.00", "messages usage: 80 over included = 8 packs of 10 × $1.00".
 */
export function describeLine(line: InvoiceLine, catalog: Catalog): string {
  const entity = line.entity_id ? ` (entity ${line.entity_id})` : '';
  const prorated = line.prorated ? ', prorated' : '';
  if (line.kind === 'base') return `${line.plan_id} base price${prorated ? ' (prorated)' : ''}${entity}`;
  const item = line.item_index === null ? undefined : catalog.plans[line.plan_id]?.items[line.item_index];
  const price = item?.price ?? null;
  const feature = line.feature_id ?? '?';
  const q = formatNumber(line.quantity);
  const units = price ? price.billingUnits : 1;
  const rate = price?.rate.kind === 'flat' ? price.rate.amount : null;
  const packsText = (what: string): string => {
    if (rate === null) return `${what} (tiered price)`;
    if (units === 1) return `${what} × ${formatPrice(rate)}`;
    return `${what} = ${formatNumber(line.quantity / units)} packs of ${formatNumber(units)} × ${formatPrice(rate)}`;
  };
  switch (line.kind) {
    case 'prepaid':
      return `${feature} prepaid: ${packsText(`${q} units`)}${prorated}${entity}`;
    case 'seats':
      return `${feature}: ${line.quantity === 0 ? 'none beyond included' : packsText(`${q} extra`)}${entity}`;
    case 'usage':
      return `${feature} usage: ${line.quantity === 0 ? 'none over included' : packsText(`${q} over included`)}${entity}`;
  }
}

/** 1 → "1 step", 3 → "3 steps". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
