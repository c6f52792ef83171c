import type { Feature, Item, ItemPrice, Plan, PlanPrice } from '../catalog/schema.ts';
import type { Change, ChangeSet, FieldChange, ItemChange } from './change-set.ts';
import { countOf } from './decisions.ts';
import { isInSync, summarize } from './diff.ts';
import { describeItemKey, itemKey } from './item-key.ts';
import { paint } from './paint.ts';

export interface TextOptions {
  color: boolean;
  /** Named in the in-sync line; defaults to autumn.config.ts. */
  configName?: string;
}

/**
 * The ChangeSet as `terraform plan` shows one: `+` create (green), `~` update (yellow) with
 * `field: old → new` lines and item lines, `-` remove (red) with its archive/delete mode,
 * then a summary line. Features first, then plans, each in sorted id order.
 */
export function renderChangeSetText(changeSet: ChangeSet, options: TextOptions): string {
  const configName = options.configName ?? 'autumn.config.ts';
  if (isInSync(changeSet)) return `No changes. Remote is in sync with ${configName}.\n`;
  const blocks = groupByObject(changeSet.changes).map((group) => renderGroup(group, options.color));
  const { create, update, remove } = summarize(changeSet);
  return `${blocks.join('\n')}\n\nPlan: ${create} to create, ${update} to update, ${remove} to remove.\n`;
}

function renderGroup(group: Change[], color: boolean): string {
  const first = group[0]!;
  const entity = first.kind.startsWith('feature_') ? 'feature' : 'plan';
  switch (first.kind) {
    case 'feature_create':
      return paint(color, 'green', `  + feature ${first.id} (${describeFeature(first.feature)})`);
    case 'plan_create': {
      const lines = [paint(color, 'green', `  + plan ${first.id} (${describePlan(first.plan)})`)];
      for (const item of first.plan.items) lines.push(`      ${paint(color, 'green', '+')} ${describeItem(item)}`);
      return lines.join('\n');
    }
    case 'feature_remove':
    case 'plan_remove': {
      const mode = first.mode === 'archive' ? `archive: ${first.reason ?? 'in use'}` : 'delete';
      return paint(color, 'red', `  - ${entity} ${first.id} (${mode})`);
    }
    default:
      return renderUpdateGroup(entity, group, color);
  }
}

/** unarchive / update / archive of one object: one `~` header, then its field and item lines. */
function renderUpdateGroup(entity: string, group: Change[], color: boolean): string {
  const markers: string[] = [];
  const body: string[] = [];
  for (const change of group) {
    switch (change.kind) {
      case 'feature_unarchive':
      case 'plan_unarchive':
        markers.push('unarchive');
        break;
      case 'feature_archive':
      case 'plan_archive':
        markers.push('archive');
        break;
      case 'feature_update':
        for (const field of change.fields) body.push(`      ${renderField(field)}`);
        break;
      case 'plan_update':
        if (change.customers > 0) markers.push(countOf(change.customers, 'customer'));
        for (const field of change.fields) body.push(`      ${renderField(field)}`);
        for (const item of change.items) body.push(...renderItemChange(item, color));
        break;
      default:
        break;
    }
  }
  const header = paint(color, 'yellow', `  ~ ${entity} ${group[0]!.id}${markers.length > 0 ? ` (${markers.join(', ')})` : ''}`);
  return [header, ...body].join('\n');
}

function renderItemChange(change: ItemChange, color: boolean): string[] {
  switch (change.change) {
    case 'added':
      return [`      ${paint(color, 'green', '+')} ${describeItem(change.item)}`];
    case 'removed':
      return [`      ${paint(color, 'red', '-')} ${describeItem(change.item)}`];
    case 'changed':
      return [`      ${paint(color, 'yellow', '~')} ${describeItemKey(change.key)}`, ...change.fields.map((field) => `          ${renderField(field)}`)];
  }
}

function renderField(field: FieldChange): string {
  return `${field.field}: ${renderValue(field.from)} → ${renderValue(field.to)}`;
}

/** Values as a reader writes them: strings quoted, null as (none), objects in JS notation. */
function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(renderValue).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, inner]) => inner !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, inner]) => `${key}: ${inner === null ? 'null' : renderValue(inner)}`).join(', ')} }`;
  }
  return String(value);
}

function describeFeature(feature: Feature): string {
  const parts = [JSON.stringify(feature.name)];
  if (feature.type === 'metered') parts.push(feature.consumable ? 'metered, consumable' : 'metered, non-consumable');
  else if (feature.type === 'credit_system') {
    parts.push(`credit system: ${feature.creditSchema.map((entry) => `${entry.meteredFeatureId} × ${entry.creditCost}`).join(', ')}`);
  } else parts.push('boolean');
  if (feature.archived) parts.push('archived');
  return parts.join(', ');
}

function describePlan(plan: Plan): string {
  const parts = [JSON.stringify(plan.name)];
  parts.push(plan.price ? describePlanPrice(plan.price) : 'free');
  if (plan.group !== null) parts.push(`group ${plan.group}`);
  if (plan.addOn) parts.push('add-on');
  if (plan.autoEnable) parts.push('auto-enable');
  if (plan.freeTrial) parts.push(`${plan.freeTrial.durationLength} ${plan.freeTrial.durationType} trial`);
  if (plan.archived) parts.push('archived');
  return parts.join(', ');
}

function describePlanPrice(price: PlanPrice): string {
  return `$${price.amount} / ${intervalText(price.interval, price.intervalCount)}`;
}

/** `messages (per seats, month): 1000 included, usage-based $0.01 per 100 / month`. */
export function describeItem(item: Item): string {
  const key = describeItemKey(itemKey(item));
  const parts: string[] = [];
  if (item.unlimited) parts.push('unlimited');
  else if (item.included !== 0) parts.push(`${item.included} included`);
  if (item.price) parts.push(describeItemPrice(item.price));
  if (item.rollover) parts.push('rollover');
  return parts.length > 0 ? `${key}: ${parts.join(', ')}` : key;
}

function describeItemPrice(price: ItemPrice): string {
  const method = price.billingMethod === 'prepaid' ? 'prepaid' : 'usage-based';
  const rate =
    price.rate.kind === 'flat'
      ? `$${price.rate.amount}${price.billingUnits === 1 ? '' : ` per ${price.billingUnits}`}`
      : `tiered (${price.rate.tierBehavior}, ${countOf(price.rate.tiers.length, 'tier')})`;
  const max = price.maxPurchase === null ? '' : `, max ${price.maxPurchase}`;
  return `${method} ${rate} / ${intervalText(price.interval, price.intervalCount)}${max}`;
}

function intervalText(interval: string, count: number): string {
  return count === 1 ? interval.replace('_', '-') : `${count} ${interval.replace('_', '-')}`;
}

/** Consecutive changes of one object (the diff emits them together) form one block. */
function groupByObject(changes: Change[]): Change[][] {
  const groups: Change[][] = [];
  for (const change of changes) {
    const last = groups[groups.length - 1];
    const sameObject = last && last[0]!.id === change.id && last[0]!.kind.split('_')[0] === change.kind.split('_')[0];
    const foldable = !change.kind.endsWith('_create') && !change.kind.endsWith('_remove');
    if (last && sameObject && foldable) last.push(change);
    else groups.push([change]);
  }
  return groups;
}
