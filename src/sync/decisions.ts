import type { Change, ChangeSet, Decision, Grants } from './change-set.ts';
import { paint } from './paint.ts';

/**
 * Decisions as data (design.md "Command surface"): a removal needs `--allow-delete`; an
 * update that would version a plan with customers needs `--versioning new|current|all`.
 * `--yes` grants nothing; only these flags do.
 */

export const ALLOW_DELETE_FLAG = '--allow-delete';
export const VERSIONING_FLAG = '--versioning new|current|all';

/** Every decision the ChangeSet needs, whatever was granted; in ChangeSet order. */
export function requiredDecisions(changeSet: ChangeSet): Decision[] {
  const decisions: Decision[] = [];
  for (const change of changeSet.changes) {
    const decision = decisionFor(change);
    if (decision) decisions.push(decision);
  }
  return decisions;
}

/** The decisions that `grants` leaves open; push must stop (exit 3) before any write when this is non-empty. */
export function openDecisions(changeSet: ChangeSet, grants: Grants): Decision[] {
  return requiredDecisions(changeSet).filter((decision) =>
    decision.kind === 'allow_delete' ? !grants.allowDelete : grants.versioning === null,
  );
}

/** A paste-ready list: one line per decision with the flag that grants it. */
export function renderDecisionsText(decisions: Decision[], options: { color: boolean }): string {
  const lines = decisions.map((decision) => `  ${paint(options.color, 'yellow', '?')} ${decision.message}: add ${paint(options.color, 'bold', decision.flag)}`);
  if (decisions.some((decision) => decision.kind === 'versioning')) {
    lines.push(
      '',
      '  --versioning new      customers keep their version; new customers get the change',
      '  --versioning current  edit the current version in place; its customers get the change',
      '  --versioning all      edit every version; every customer gets the change',
    );
  }
  return lines.join('\n');
}

function decisionFor(change: Change): Decision | null {
  switch (change.kind) {
    case 'feature_remove':
    case 'plan_remove': {
      const entity = change.kind === 'feature_remove' ? 'feature' : 'plan';
      return {
        kind: 'allow_delete',
        entity,
        id: change.id,
        message: `${entity} ${change.id} is not in the config and would be ${change.mode === 'archive' ? `archived (${change.reason ?? 'in use'})` : 'deleted'}`,
        flag: ALLOW_DELETE_FLAG,
      };
    }
    case 'plan_update':
      if (change.customers === 0 || !change.versioned) return null;
      return {
        kind: 'versioning',
        entity: 'plan',
        id: change.id,
        message: `plan ${change.id} has ${countOf(change.customers, 'customer')} and its ${versionedParts(change)} change`,
        flag: VERSIONING_FLAG,
      };
    default:
      return null;
  }
}

function versionedParts(change: Extract<Change, { kind: 'plan_update' }>): string {
  const parts: string[] = [];
  if (change.fields.some((field) => field.field === 'price' || field.field.startsWith('price.'))) parts.push('price');
  if (change.items.length > 0) parts.push('items');
  if (change.fields.some((field) => field.field === 'freeTrial' || field.field.startsWith('freeTrial.'))) parts.push('free trial');
  return parts.length <= 1 ? (parts[0] ?? 'items') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
