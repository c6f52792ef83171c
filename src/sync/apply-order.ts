import { z } from 'zod';
import { Feature, Id, Plan } from '../catalog/schema.ts';
import { AtmnError } from '../errors.ts';
import { NO_GRANTS, type Change, type ChangeSet, type Grants } from './change-set.ts';
import { openDecisions, renderDecisionsText } from './decisions.ts';

/**
 * The order push writes in (wire.md §3.1 "Apply order"): features before the plans that use
 * them, credit systems after their metered features, unarchive, plans, plan removals,
 * feature removals (credit systems first). Steps of one phase are independent of each other
 * and may run concurrently (at most 5 in flight); a phase starts when the previous one is done.
 */
export const ApplyPhase = z.enum([
  'features',
  'credit_systems',
  'unarchive',
  'plans',
  'plan_removals',
  'credit_system_removals',
  'feature_removals',
]);
export type ApplyPhase = z.infer<typeof ApplyPhase>;

export const ApplyAction = z.enum(['create', 'update', 'unarchive', 'archive', 'delete']);
export type ApplyAction = z.infer<typeof ApplyAction>;

/** How a plan update treats existing versions (wire.md §4.1 intents); null when the plan has no customers. */
export const PlanIntent = z.enum(['create_version', 'update_current', 'update_all_versions']);
export type PlanIntent = z.infer<typeof PlanIntent>;

const StepBase = { phase: ApplyPhase, action: ApplyAction, id: Id };
export const ApplyStep = z.discriminatedUnion('entity', [
  z.object({ ...StepBase, entity: z.literal('feature'), feature: Feature }),
  z.object({ ...StepBase, entity: z.literal('plan'), plan: Plan, intent: PlanIntent.nullable() }),
]);
export type ApplyStep = z.infer<typeof ApplyStep>;

/**
 * Turns a ChangeSet into ordered write steps. Refuses (needs_decision, before any write)
 * when a decision is open, so no caller can apply an ungranted removal or versioning.
 * An object created with `archived: true` becomes a create, then an archive in the removal
 * phase, so it exists while the plans that reference it are written.
 */
export function planApply(changeSet: ChangeSet, grants: Grants = NO_GRANTS): ApplyStep[] {
  const open = openDecisions(changeSet, grants);
  if (open.length > 0) {
    throw new AtmnError('needs_decision', `Push needs ${open.length === 1 ? 'a decision' : `${open.length} decisions`} that no flag granted.`, {
      hint: renderDecisionsText(open, { color: false }),
      details: { decisions: open },
    });
  }
  const steps: ApplyStep[] = [];
  for (const change of changeSet.changes) steps.push(...stepsFor(change, grants));
  const rank = (phase: ApplyPhase): number => ApplyPhase.options.indexOf(phase);
  // Stable sort: within a phase, steps keep the ChangeSet's sorted id order.
  return steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => rank(a.step.phase) - rank(b.step.phase) || a.index - b.index)
    .map(({ step }) => step);
}

/** Consecutive steps of one phase: each group may run concurrently, groups run in order. */
export function applyPhases(steps: ApplyStep[]): { phase: ApplyPhase; steps: ApplyStep[] }[] {
  const groups: { phase: ApplyPhase; steps: ApplyStep[] }[] = [];
  for (const step of steps) {
    const last = groups[groups.length - 1];
    if (last && last.phase === step.phase) last.steps.push(step);
    else groups.push({ phase: step.phase, steps: [step] });
  }
  return groups;
}

function stepsFor(change: Change, grants: Grants): ApplyStep[] {
  switch (change.kind) {
    case 'feature_create': {
      const create = featureStep(upsertPhase(change.feature), 'create', change.feature);
      return change.feature.archived ? [create, featureStep(removalPhase(change.feature), 'archive', change.feature)] : [create];
    }
    case 'feature_update':
      return [featureStep(upsertPhase(change.feature), 'update', change.feature)];
    case 'feature_unarchive':
      return [featureStep('unarchive', 'unarchive', change.feature)];
    case 'feature_archive':
      return [featureStep(removalPhase(change.feature), 'archive', change.feature)];
    case 'feature_remove':
      return [featureStep(removalPhase(change.feature), change.mode, change.feature)];
    case 'plan_create': {
      const create = planStep('plans', 'create', change.plan, null);
      return change.plan.archived ? [create, planStep('plan_removals', 'archive', change.plan, null)] : [create];
    }
    case 'plan_update': {
      const intent = change.customers > 0 && change.versioned ? intentFor(grants) : null;
      return [planStep('plans', 'update', change.plan, intent)];
    }
    case 'plan_unarchive':
      return [planStep('unarchive', 'unarchive', change.plan, null)];
    case 'plan_archive':
      return [planStep('plan_removals', 'archive', change.plan, null)];
    case 'plan_remove':
      return [planStep('plan_removals', change.mode, change.plan, null)];
    default:
      return assertNever(change);
  }
}

function upsertPhase(feature: Feature): ApplyPhase {
  return feature.type === 'credit_system' ? 'credit_systems' : 'features';
}

function removalPhase(feature: Feature): ApplyPhase {
  return feature.type === 'credit_system' ? 'credit_system_removals' : 'feature_removals';
}

function intentFor(grants: Grants): PlanIntent | null {
  switch (grants.versioning) {
    case 'new':
      return 'create_version';
    case 'current':
      return 'update_current';
    case 'all':
      return 'update_all_versions';
    case null:
      return null;
  }
}

function featureStep(phase: ApplyPhase, action: ApplyAction, feature: Feature): ApplyStep {
  return { phase, action, id: feature.id, entity: 'feature', feature };
}

function planStep(phase: ApplyPhase, action: ApplyAction, plan: Plan, intent: PlanIntent | null): ApplyStep {
  return { phase, action, id: plan.id, entity: 'plan', plan, intent };
}

function assertNever(value: never): never {
  throw new Error(`unhandled change ${JSON.stringify(value)}`);
}
