import { describe, expect, test } from 'vitest';
import { isAtmnError } from '../../src/errors.ts';
import { applyPhases, diffCatalogs, openDecisions, planApply, requiredDecisions, type ApplyStep } from '../../src/sync/index.ts';
import { catalog, feature, item, plan, teamExample } from './catalog-builders.ts';
import { renderScenario, scenarioHolders } from './render-scenario.ts';

const describeStep = (step: ApplyStep): string =>
  `${step.phase}: ${step.action} ${step.entity} ${step.id}${step.entity === 'plan' && step.intent ? ` (${step.intent})` : ''}`;

describe('openDecisions', () => {
  const { local, remote } = renderScenario();
  const changeSet = diffCatalogs(local, remote, { holders: scenarioHolders });

  test('removals need --allow-delete, a versioned update of a plan with customers needs --versioning', () => {
    expect(requiredDecisions(changeSet).map((d) => [d.kind, d.entity, d.id, d.flag])).toEqual([
      ['allow_delete', 'feature', 'legacy', '--allow-delete'],
      ['allow_delete', 'plan', 'starter', '--allow-delete'],
      ['versioning', 'plan', 'team', '--versioning new|current|all'],
    ]);
  });

  test('each flag grants only its own decisions; --yes is not a grant at all', () => {
    expect(openDecisions(changeSet, { allowDelete: true, versioning: null }).map((d) => d.id)).toEqual(['team']);
    expect(openDecisions(changeSet, { allowDelete: false, versioning: 'current' }).map((d) => d.id)).toEqual(['legacy', 'starter']);
    expect(openDecisions(changeSet, { allowDelete: true, versioning: 'all' })).toEqual([]);
  });

  test('a rename of a plan with customers needs no versioning choice; nor does any change of a plan without customers', () => {
    const remote = teamExample();
    const local = teamExample();
    local.plans.team!.name = 'Teams';
    local.plans.free!.items[0]!.included = 3;
    expect(requiredDecisions(diffCatalogs(local, remote, { holders: { plans: { team: 5 }, features: {} } }))).toEqual([]);
  });
});

describe('planApply', () => {
  test('refuses with needs_decision (exit 3) before any write while a decision is open', () => {
    const { local, remote } = renderScenario();
    const changeSet = diffCatalogs(local, remote, { holders: scenarioHolders });
    let caught: unknown;
    try {
      planApply(changeSet, { allowDelete: true, versioning: null });
    } catch (error) {
      caught = error;
    }
    expect(isAtmnError(caught) && [caught.code, caught.message]).toEqual(['needs_decision', 'Push needs a decision that no flag granted.']);
    expect(isAtmnError(caught) && caught.hint).toContain('plan team has 12 customers and its price and items change: add --versioning new|current|all');
  });

  test('orders writes as wire.md §3.1: features, credit systems, unarchive, plans, plan removals, feature removals', () => {
    const { local, remote } = renderScenario();
    local.features.credits = feature('credits', { type: 'credit_system', creditSchema: [{ meteredFeatureId: 'summaries', creditCost: 2 }] });
    remote.features.oldCredits = feature('oldCredits', { type: 'credit_system', creditSchema: [{ meteredFeatureId: 'legacy', creditCost: 1 }] });
    const changeSet = diffCatalogs(local, remote, { holders: scenarioHolders });
    expect(planApply(changeSet, { allowDelete: true, versioning: 'new' }).map(describeStep)).toEqual([
      'features: create feature sso',
      'features: update feature summaries',
      'credit_systems: create feature credits',
      'unarchive: unarchive plan archivedPro',
      'plans: create plan enterprise',
      'plans: update plan team (create_version)',
      'plan_removals: archive plan starter',
      'credit_system_removals: delete feature oldCredits',
      'feature_removals: archive feature beta',
      'feature_removals: archive feature legacy',
    ]);
  });

  test('each versioning choice maps to its plan intent; plans without customers get none', () => {
    const remote = teamExample();
    const local = teamExample();
    local.plans.team!.items[0]!.included = 2;
    local.plans.free!.items[0]!.included = 2;
    const changeSet = diffCatalogs(local, remote, { holders: { plans: { team: 1 }, features: {} } });
    const intents = (versioning: 'new' | 'current' | 'all'): string[] => planApply(changeSet, { allowDelete: false, versioning }).map(describeStep);
    expect(intents('new')).toEqual(['plans: update plan free', 'plans: update plan team (create_version)']);
    expect(intents('current')).toEqual(['plans: update plan free', 'plans: update plan team (update_current)']);
    expect(intents('all')).toEqual(['plans: update plan free', 'plans: update plan team (update_all_versions)']);
  });

  test('an object created archived is created with the others and archived after the plans', () => {
    const local = catalog([feature('beta', { archived: true })], [plan('old', [item('beta')], { archived: true })]);
    const steps = planApply(diffCatalogs(local, catalog([])));
    expect(steps.map(describeStep)).toEqual([
      'features: create feature beta',
      'plans: create plan old',
      'plan_removals: archive plan old',
      'feature_removals: archive feature beta',
    ]);
  });

  test('applyPhases groups consecutive steps of one phase', () => {
    const steps = planApply(diffCatalogs(teamExample(), catalog([])));
    expect(applyPhases(steps).map((group) => [group.phase, group.steps.map((step) => step.id)])).toEqual([
      ['features', ['seats', 'summaries']],
      ['plans', ['free', 'team']],
    ]);
  });

  test('an in-sync ChangeSet has no steps', () => {
    expect(planApply(diffCatalogs(teamExample(), teamExample()))).toEqual([]);
  });
});
