import { plainDecimal as num } from './number-text.ts';
import { sortedIds } from './order.ts';
import type { Catalog, Feature, Item, ItemPrice, Plan } from './schema.ts';

/** Text styles the caller supplies (kleur in the CLI, identity in tests): this module stays pure. */
export interface SummaryStyle {
  bold(text: string): string;
  dim(text: string): string;
}

const PLAIN: SummaryStyle = { bold: (t) => t, dim: (t) => t };

/**
 * The compact summary `atmn validate` prints (issue #2, item 5): features, then plans with
 * their items, in sorted id order; per-entity items read like "summaries: 50 / month per seat".
 */
export function renderSummary(catalog: Catalog, style: SummaryStyle = PLAIN): string {
  const lines: string[] = [];
  const featureIds = sortedIds(catalog.features);
  const planIds = sortedIds(catalog.plans);
  lines.push(style.bold(`Features (${featureIds.length})`));
  const idWidth = Math.max(0, ...featureIds.map((id) => id.length));
  const nameWidth = Math.max(0, ...featureIds.map((id) => catalog.features[id]!.name.length));
  for (const id of featureIds) {
    const feature = catalog.features[id]!;
    lines.push(`  ${style.bold(id.padEnd(idWidth))}  ${feature.name.padEnd(nameWidth)}  ${style.dim(describeFeature(feature))}`);
  }
  lines.push('', style.bold(`Plans (${planIds.length})`));
  for (const id of planIds) {
    const plan = catalog.plans[id]!;
    const tags = planTags(plan);
    const price = plan.price ? `  ${money(plan.price.amount)}${per(plan.price.interval, plan.price.intervalCount)}` : '';
    lines.push(`  ${style.bold(id)}  ${plan.name}${price}${tags.length ? '  ' + style.dim(tags.join(', ')) : ''}`);
    if (plan.items.length === 0) lines.push(`    ${style.dim('(no items)')}`);
    for (const item of plan.items) lines.push(`    ${describeItem(item, catalog)}`);
  }
  return lines.join('\n');
}

function describeFeature(feature: Feature): string {
  const archived = feature.archived ? ', archived' : '';
  if (feature.type === 'boolean') return `boolean${archived}`;
  if (feature.type === 'metered') return `metered, ${feature.consumable ? 'consumable' : 'non-consumable'}${archived}`;
  const costs = feature.creditSchema.map((entry) => `${entry.meteredFeatureId} = ${num(entry.creditCost)}`).join(', ');
  return `credit system (${costs})${archived}`;
}

function planTags(plan: Plan): string[] {
  const tags: string[] = [];
  if (plan.addOn) tags.push('add-on');
  if (plan.autoEnable) tags.push('auto-enable');
  if (plan.group) tags.push(`group ${plan.group}`);
  if (plan.freeTrial) {
    const t = plan.freeTrial;
    tags.push(`${t.durationLength} ${t.durationType}${t.durationLength === 1 ? '' : 's'} trial${t.cardRequired ? '' : ', no card'}`);
  }
  if (plan.archived) tags.push('archived');
  return tags;
}

/** `summaries: 50 / month per seat`, `seats: 1 + $30 per unit / month (usage-based)`, `sso: on`. */
export function describeItem(item: Item, catalog: Catalog): string {
  const feature = catalog.features[item.featureId];
  const perEntity = item.entityFeatureId ? ` per ${entityNoun(item.entityFeatureId, catalog)}` : '';
  if (feature?.type === 'boolean') return `${item.featureId}: on${perEntity}`;
  const parts: string[] = [];
  if (item.unlimited) parts.push(`unlimited${perEntity}`);
  else if (item.included > 0 || !item.price) parts.push(`${num(item.included)}${resetSuffix(item, feature)}${perEntity}`);
  if (item.price && !item.unlimited) parts.push(describePrice(item.price, item.featureId, catalog) + (parts.length === 0 ? perEntity : ''));
  const rollover = item.rollover ? `, rollover${item.rollover.max !== null ? ` up to ${num(item.rollover.max)}` : item.rollover.maxPercentage !== null ? ` up to ${num(item.rollover.maxPercentage)}%` : ''}` : '';
  return `${item.featureId}: ${parts.join(' + ')}${rollover}`;
}

function resetSuffix(item: Item, feature: Feature | undefined): string {
  if (feature && !feature.consumable) return '';
  const interval = item.reset?.interval ?? item.price?.interval;
  if (!interval || interval === 'one_off') return '';
  return per(interval, item.reset ? item.reset.intervalCount : (item.price?.intervalCount ?? 1));
}

function describePrice(price: ItemPrice, featureId: string, catalog: Catalog): string {
  const noun = price.billingUnits === 1 ? unitNoun(featureId, catalog, false) : `${num(price.billingUnits)} ${unitNoun(featureId, catalog, true)}`;
  const rate =
    price.rate.kind === 'flat'
      ? `${money(price.rate.amount)} per ${noun}`
      : `${price.rate.tierBehavior} tiers (${price.rate.tiers.map((t) => `${money(t.amount)} up to ${t.to === 'inf' ? 'inf' : num(t.to)}`).join(', ')}) per ${noun}`;
  const notes = [price.billingMethod === 'usage_based' ? 'usage-based' : 'prepaid'];
  if (price.interval === 'one_off') notes.push('one-off');
  if (price.maxPurchase !== null) notes.push(`max ${num(price.maxPurchase)}`);
  return `${rate}${price.interval === 'one_off' ? '' : per(price.interval, price.intervalCount)} (${notes.join(', ')})`;
}

function per(interval: string, count: number): string {
  const word = interval === 'semi_annual' ? 'half-year' : interval;
  return count === 1 ? ` / ${word}` : ` / ${count} ${word}s`;
}

function money(amount: number): string {
  return `$${num(amount)}`;
}

/** "Seats" → "seat", "Companies" → "company", "AI Credits" → "AI credit"; the id when the feature has no name. */
export function entityNoun(featureId: string, catalog: Catalog): string {
  return unitNoun(featureId, catalog, false);
}

function unitNoun(featureId: string, catalog: Catalog, plural: boolean): string {
  const name = catalog.features[featureId]?.name.trim();
  if (!name) return featureId;
  // Lower-case ordinary words, keep acronyms (AI, GB) as written.
  const words = name.split(/\s+/).map((w) => (/^[A-Z0-9()]{2,}$/.test(w) ? w : w.toLowerCase())).join(' ');
  if (plural) return words;
  if (/ies$/.test(words)) return words.slice(0, -3) + 'y';
  if (/[^s]s$/.test(words)) return words.slice(0, -1);
  return words;
}
