import { describe, expect, test } from 'vitest';
import { diffCatalogs, summarize } from '../../src/sync/index.ts';
import { catalog, feature, item, monthly, plan, teamExample, usagePrice } from './catalog-builders.ts';

/** Inline from/to Catalog → the exact ChangeSet (drizzle-kit tests/postgres style). `from` is remote, `to` the config. */
describe('diffCatalogs', () => {
  test('two empty catalogs are in sync', () => {
    expect(diffCatalogs(catalog([]), catalog([]))).toEqual({ changes: [] });
  });

  test('a first push creates every feature, then every plan, in sorted id order', () => {
    const local = teamExample();
    expect(diffCatalogs(local, catalog([]))).toEqual({
      changes: [
        { kind: 'feature_create', id: 'seats', feature: local.features.seats },
        { kind: 'feature_create', id: 'summaries', feature: local.features.summaries },
        { kind: 'plan_create', id: 'free', plan: local.plans.free },
        { kind: 'plan_create', id: 'team', plan: local.plans.team },
      ],
    });
  });

  test('the same catalog is in sync', () => {
    expect(diffCatalogs(teamExample(), teamExample()).changes).toEqual([]);
  });

  test('a feature update lists each changed field with the remote value as from', () => {
    const remote = catalog([feature('messages', { eventNames: ['chat'] })]);
    const local = catalog([feature('messages', { name: 'Chat messages', eventNames: ['chat', 'reply'] })]);
    expect(diffCatalogs(local, remote).changes).toEqual([
      {
        kind: 'feature_update',
        id: 'messages',
        feature: local.features.messages,
        previous: remote.features.messages,
        fields: [
          { field: 'name', from: 'Messages', to: 'Chat messages' },
          { field: 'eventNames', from: ['chat'], to: ['chat', 'reply'] },
        ],
      },
    ]);
  });

  test('a plan update reports nested fields and item changes matched by feature, entity feature and interval', () => {
    const remote = teamExample();
    const local = teamExample();
    local.plans.team!.price = { amount: 35, interval: 'month', intervalCount: 1 };
    local.plans.team!.items[1] = item('summaries', { included: 80, reset: monthly, entityFeatureId: 'seats' });
    local.plans.team!.items.push(item('sso'));
    local.features.sso = feature('sso', { type: 'boolean', consumable: false });
    const changes = diffCatalogs(local, remote).changes;
    expect(changes.map((change) => change.kind)).toEqual(['feature_create', 'plan_update']);
    expect(changes[1]).toEqual({
      kind: 'plan_update',
      id: 'team',
      plan: local.plans.team,
      previous: remote.plans.team,
      fields: [{ field: 'price.amount', from: 30, to: 35 }],
      items: [
        {
          change: 'changed',
          key: { featureId: 'summaries', entityFeatureId: 'seats', interval: 'month', intervalCount: 1 },
          item: local.plans.team!.items[1],
          previous: remote.plans.team!.items[1],
          fields: [{ field: 'included', from: 50, to: 80 }],
        },
        {
          change: 'added',
          key: { featureId: 'sso', entityFeatureId: null, interval: null, intervalCount: null },
          item: local.plans.team!.items[2],
          previous: null,
          fields: [],
        },
      ],
      customers: 0,
      versioned: true,
    });
  });

  test('reordering items makes no change', () => {
    const local = teamExample();
    local.plans.team!.items.reverse();
    local.plans.free!.items.reverse();
    expect(diffCatalogs(local, teamExample()).changes).toEqual([]);
  });

  test('a feature granted twice with different intervals pairs each item with its own interval', () => {
    const items = [item('api', { included: 100, reset: monthly }), item('api', { included: 5, reset: { interval: 'day', intervalCount: 1 } })];
    const remote = catalog([feature('api')], [plan('pro', items)]);
    const local = catalog([feature('api')], [plan('pro', [{ ...items[1]!, included: 10 }, items[0]!])]);
    const [change] = diffCatalogs(local, remote).changes;
    expect(change?.kind === 'plan_update' && change.items).toEqual([
      {
        change: 'changed',
        key: { featureId: 'api', entityFeatureId: null, interval: 'day', intervalCount: 1 },
        item: local.plans.pro!.items[0],
        previous: remote.plans.pro!.items[1],
        fields: [{ field: 'included', from: 5, to: 10 }],
      },
    ]);
  });

  test('an interval change of the only item of a feature reads as a change, not a removal and an addition', () => {
    const remote = catalog([feature('api')], [plan('pro', [item('api', { included: 100, reset: monthly })])]);
    const local = catalog([feature('api')], [plan('pro', [item('api', { included: 100, reset: { interval: 'year', intervalCount: 1 } })])]);
    const [change] = diffCatalogs(local, remote).changes;
    expect(change?.kind === 'plan_update' && change.items.map((entry) => [entry.change, entry.fields])).toEqual([
      ['changed', [{ field: 'reset.interval', from: 'month', to: 'year' }]],
    ]);
  });

  test('a flat price turned tiered is one change of the whole rate', () => {
    const tiered = usagePrice(0, {
      rate: { kind: 'tiered', tiers: [{ to: 100, amount: 1, flatAmount: null }, { to: 'inf', amount: 0.5, flatAmount: null }], tierBehavior: 'graduated' },
    });
    const remote = catalog([feature('api')], [plan('pro', [item('api', { price: usagePrice(1) })])]);
    const local = catalog([feature('api')], [plan('pro', [item('api', { price: tiered })])]);
    const [change] = diffCatalogs(local, remote).changes;
    expect(change?.kind === 'plan_update' && change.items[0]?.fields).toEqual([
      { field: 'price.rate', from: { kind: 'flat', amount: 1 }, to: tiered.rate },
    ]);
  });

  test('a plan missing from the config is deleted, or archived when it has customers', () => {
    const remote = catalog([feature('api')], [plan('old', [item('api')]), plan('legacy', [])]);
    const local = catalog([feature('api')]);
    expect(diffCatalogs(local, remote, { holders: { plans: { old: 2 }, features: {} } }).changes).toEqual([
      { kind: 'plan_remove', id: 'legacy', plan: remote.plans.legacy, mode: 'delete', reason: null, customers: 0 },
      { kind: 'plan_remove', id: 'old', plan: remote.plans.old, mode: 'archive', reason: '2 customers', customers: 2 },
    ]);
  });

  test('a removed feature still used by a plan that stays (archived) is archived; one used only by a deleted plan is deleted', () => {
    const remote = catalog(
      [feature('kept'), feature('orphan'), feature('stale')],
      [plan('old', [item('stale')], { archived: true }), plan('gone', [item('orphan')])],
    );
    const local = catalog([feature('kept')]);
    expect(diffCatalogs(local, remote).changes).toEqual([
      { kind: 'feature_remove', id: 'orphan', feature: remote.features.orphan, mode: 'delete', reason: null },
      { kind: 'feature_remove', id: 'stale', feature: remote.features.stale, mode: 'archive', reason: 'used by plan old' },
      { kind: 'plan_remove', id: 'gone', plan: remote.plans.gone, mode: 'delete', reason: null, customers: 0 },
    ]);
  });

  test('a credit system kept by archiving keeps its metered features archived too (fixed point)', () => {
    const credits = feature('credits', { type: 'credit_system', creditSchema: [{ meteredFeatureId: 'tokens', creditCost: 2 }] });
    const remote = catalog([credits, feature('tokens')]);
    const changes = diffCatalogs(catalog([]), remote, { holders: { plans: {}, features: { credits: 4 } } }).changes;
    expect(changes.map((change) => change.kind === 'feature_remove' && [change.id, change.mode, change.reason])).toEqual([
      ['credits', 'archive', '4 customers'],
      ['tokens', 'archive', 'used by credit system credits'],
    ]);
  });

  test('a remote object that is already archived and absent from the config is left alone', () => {
    const remote = catalog([feature('old', { archived: true })], [plan('legacy', [], { archived: true })]);
    expect(diffCatalogs(catalog([]), remote).changes).toEqual([]);
  });

  test('a config listing an archived remote plan unarchives it and applies its other changes', () => {
    const remote = catalog([], [plan('legacy', [], { archived: true })]);
    const local = catalog([], [plan('legacy', [], { name: 'Legacy plan' })]);
    expect(diffCatalogs(local, remote).changes).toEqual([
      { kind: 'plan_unarchive', id: 'legacy', plan: local.plans.legacy },
      {
        kind: 'plan_update',
        id: 'legacy',
        plan: local.plans.legacy,
        previous: remote.plans.legacy,
        fields: [{ field: 'name', from: 'Legacy', to: 'Legacy plan' }],
        items: [],
        customers: 0,
        versioned: false,
      },
    ]);
  });

  test('archived: true in the config archives an active remote object (no removal, no decision)', () => {
    const remote = catalog([feature('beta')]);
    const local = catalog([feature('beta', { archived: true })]);
    expect(diffCatalogs(local, remote).changes).toEqual([{ kind: 'feature_archive', id: 'beta', feature: local.features.beta }]);
  });

  test('entityFeatureId is compared: dropping it is a change of the item', () => {
    const remote = teamExample();
    const local = teamExample();
    local.plans.free!.items[1] = { ...local.plans.free!.items[1]!, entityFeatureId: null };
    const [change] = diffCatalogs(local, remote).changes;
    expect(change?.kind === 'plan_update' && change.items.map((entry) => [entry.change, entry.key.entityFeatureId])).toEqual([
      ['added', null],
      ['removed', 'seats'],
    ]);
  });

  test('plan updates carry the customer count and whether they would version the plan', () => {
    const remote = teamExample();
    const local = teamExample();
    local.plans.team!.name = 'Teams';
    local.plans.free!.items[0]!.included = 2;
    const changes = diffCatalogs(local, remote, { holders: { plans: { team: 7, free: 3 }, features: {} } }).changes;
    expect(changes.map((change) => change.kind === 'plan_update' && [change.id, change.customers, change.versioned])).toEqual([
      ['free', 3, true],
      ['team', 7, false],
    ]);
  });

  test('ids named like Object.prototype members (constructor, toString) are ordinary ids', () => {
    const shared = feature('seats', { consumable: false });
    const remote = catalog(
      [shared, feature('toString', { type: 'boolean', consumable: false })],
      [plan('constructor', [item('seats', { included: 1 })])],
    );
    const local = catalog([shared, feature('hasOwnProperty', { type: 'boolean', consumable: false })]);
    expect(diffCatalogs(local, remote, { holders: { plans: {}, features: {} } }).changes).toEqual([
      { kind: 'feature_create', id: 'hasOwnProperty', feature: local.features.hasOwnProperty },
      { kind: 'feature_remove', id: 'toString', feature: remote.features.toString, mode: 'delete', reason: null },
      { kind: 'plan_remove', id: 'constructor', plan: remote.plans.constructor, mode: 'delete', reason: null, customers: 0 },
    ]);
    expect(diffCatalogs(remote, remote).changes).toEqual([]);
  });

  test('summarize counts objects: an unarchive plus an update is one update', () => {
    const remote = catalog([feature('a'), feature('gone')], [plan('legacy', [], { archived: true })]);
    const local = catalog([feature('a', { name: 'A!' }), feature('new')], [plan('legacy', [], { name: 'L' })]);
    expect(summarize(diffCatalogs(local, remote))).toEqual({ create: 1, update: 2, remove: 1 });
  });
});
