import { describe, expect, test } from 'vitest';
import {
  ChangeSetJson,
  NO_GRANTS,
  diffCatalogs,
  openDecisions,
  renderChangeSetJson,
  renderChangeSetText,
  renderDecisionsText,
} from '../../src/sync/index.ts';
import { catalog, feature, item, monthly, plan } from './catalog-builders.ts';
import { renderScenario, scenarioHolders } from './render-scenario.ts';

describe('renderChangeSetText (colors off)', () => {
  test('every change kind, terraform style', () => {
    const { local, remote } = renderScenario();
    const text = renderChangeSetText(diffCatalogs(local, remote, { holders: scenarioHolders }), { color: false });
    expect(text).toBe(`  ~ feature beta (archive)
  - feature legacy (archive: used by plan starter)
  + feature sso ("SSO", boolean)
  ~ feature summaries
      eventNames: [] → ["summary.created"]
  ~ plan archivedPro (unarchive)
  + plan enterprise ("Enterprise", $500 / year, group main, 14 day trial)
      + sso
      + seats: unlimited
  - plan starter (archive: 3 customers)
  ~ plan team (12 customers)
      name: "Teams" → "Team"
      price.amount: 30 → 35
      ~ seats (month)
          price.maxPurchase: (none) → 50
      + sso

Plan: 2 to create, 4 to update, 2 to remove.
`);
  });

  test('a first push of the team example', () => {
    const local = catalog(
      [feature('seats', { consumable: false }), feature('messages')],
      [
        plan(
          'pro',
          [
            item('seats', { included: 5 }),
            item('messages', {
              included: 1000,
              entityFeatureId: 'seats',
              price: { rate: { kind: 'flat', amount: 0.01 }, interval: 'month', intervalCount: 1, billingUnits: 100, billingMethod: 'usage_based', maxPurchase: null },
            }),
          ],
          { price: { amount: 20, interval: 'month', intervalCount: 1 } },
        ),
      ],
    );
    expect(renderChangeSetText(diffCatalogs(local, catalog([])), { color: false })).toBe(`  + feature messages ("Messages", metered, consumable)
  + feature seats ("Seats", metered, non-consumable)
  + plan pro ("Pro", $20 / month)
      + seats: 5 included
      + messages (per seats, month): 1000 included, usage-based $0.01 per 100 / month

Plan: 3 to create, 0 to update, 0 to remove.
`);
  });

  test('item removals, changes and a deleted plan', () => {
    const remote = catalog(
      [feature('api'), feature('sso', { type: 'boolean', consumable: false })],
      [plan('pro', [item('api', { included: 100, reset: monthly }), item('sso')]), plan('trial')],
    );
    const local = catalog([feature('api'), feature('sso', { type: 'boolean', consumable: false })], [plan('pro', [item('api', { included: 250, reset: monthly })])]);
    expect(renderChangeSetText(diffCatalogs(local, remote), { color: false })).toBe(`  ~ plan pro
      ~ api (month)
          included: 100 → 250
      - sso
  - plan trial (delete)

Plan: 0 to create, 1 to update, 1 to remove.
`);
  });

  test('in sync names the config file', () => {
    expect(renderChangeSetText({ changes: [] }, { color: false })).toBe('No changes. Remote is in sync with autumn.config.ts.\n');
    expect(renderChangeSetText({ changes: [] }, { color: false, configName: 'pricing/autumn.config.ts' })).toBe(
      'No changes. Remote is in sync with pricing/autumn.config.ts.\n',
    );
  });

  test('colors: + green, ~ yellow, - red; nothing else changes', () => {
    const { local, remote } = renderScenario();
    const changeSet = diffCatalogs(local, remote, { holders: scenarioHolders });
    const colored = renderChangeSetText(changeSet, { color: true });
    const lines = colored.split('\n');
    expect(lines[0]).toBe('\u001b[33m  ~ feature beta (archive)\u001b[39m');
    expect(lines[1]).toBe('\u001b[31m  - feature legacy (archive: used by plan starter)\u001b[39m');
    expect(lines[2]).toBe('\u001b[32m  + feature sso ("SSO", boolean)\u001b[39m');
    expect(lines).toContain('      \u001b[32m+\u001b[39m sso');
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(renderChangeSetText(changeSet, { color: false }));
  });
});

describe('renderDecisionsText', () => {
  test('one paste-ready line per open decision, with the flag that grants it', () => {
    const { local, remote } = renderScenario();
    const decisions = openDecisions(diffCatalogs(local, remote, { holders: scenarioHolders }), NO_GRANTS);
    expect(renderDecisionsText(decisions, { color: false })).toBe(`  ? feature legacy is not in the config and would be archived (used by plan starter): add --allow-delete
  ? plan starter is not in the config and would be archived (3 customers): add --allow-delete
  ? plan team has 12 customers and its price and items change: add --versioning new|current|all

  --versioning new      customers keep their version; new customers get the change
  --versioning current  edit the current version in place; its customers get the change
  --versioning all      edit every version; every customer gets the change`);
  });
});

describe('renderChangeSetJson', () => {
  test('an in-sync document', () => {
    expect(JSON.stringify(renderChangeSetJson({ changes: [] }))).toBe(
      '{"format_version":1,"in_sync":true,"summary":{"create":0,"update":0,"remove":0},"changes":[],"decisions":[]}',
    );
  });

  test('exact bytes for an update and a removal, keys in a fixed order', () => {
    const remote = catalog([feature('api'), feature('old')], [plan('pro', [item('api', { included: 1, reset: monthly })])]);
    const local = catalog([feature('api')], [plan('pro', [item('api', { included: 2, reset: monthly })])]);
    const json = renderChangeSetJson(diffCatalogs(local, remote, { holders: { plans: { pro: 1 }, features: {} } }));
    const apiItem = (included: number): string =>
      `{"featureId":"api","included":${included},"unlimited":false,"reset":{"interval":"month","intervalCount":1},"price":null,"entityFeatureId":null,"rollover":null,"proration":null}`;
    const proPlan = (included: number): string =>
      `{"id":"pro","name":"Pro","description":null,"group":null,"addOn":false,"autoEnable":false,"price":null,"freeTrial":null,"items":[${apiItem(included)}],"archived":false,"billingControls":null}`;
    expect(JSON.stringify(json)).toBe(
      '{"format_version":1,"in_sync":false,"summary":{"create":0,"update":1,"remove":1},"changes":[' +
        '{"kind":"feature_remove","id":"old","feature":{"id":"old","name":"Old","type":"metered","consumable":true,"eventNames":[],"creditSchema":[],"archived":false},"mode":"delete","reason":null},' +
        `{"kind":"plan_update","id":"pro","plan":${proPlan(2)},"previous":${proPlan(1)},"fields":[],"items":[` +
        `{"change":"changed","key":{"featureId":"api","entityFeatureId":null,"interval":"month","intervalCount":1},"item":${apiItem(2)},"previous":${apiItem(1)},"fields":[{"field":"included","from":1,"to":2}]}` +
        '],"customers":1,"versioned":true}],' +
        '"decisions":[' +
        '{"kind":"allow_delete","entity":"feature","id":"old","message":"feature old is not in the config and would be deleted","flag":"--allow-delete"},' +
        '{"kind":"versioning","entity":"plan","id":"pro","message":"plan pro has 1 customer and its items change","flag":"--versioning new|current|all"}' +
        ']}',
    );
  });

  test('decisions list only what the grants leave open', () => {
    const { local, remote } = renderScenario();
    const changeSet = diffCatalogs(local, remote, { holders: scenarioHolders });
    const json = renderChangeSetJson(changeSet, { grants: { allowDelete: true, versioning: null } });
    expect(json.decisions.map((decision) => [decision.kind, decision.id])).toEqual([['versioning', 'team']]);
    expect(renderChangeSetJson(changeSet, { grants: { allowDelete: true, versioning: 'new' } }).decisions).toEqual([]);
  });

  test('the document parses with its own schema (the published contract) and survives a JSON round trip', () => {
    const { local, remote } = renderScenario();
    const json = renderChangeSetJson(diffCatalogs(local, remote, { holders: scenarioHolders }));
    expect(ChangeSetJson.parse(JSON.parse(JSON.stringify(json)))).toEqual(json);
    expect(json.changes.map((change) => `${change.kind} ${change.id}`)).toEqual([
      'feature_archive beta',
      'feature_remove legacy',
      'feature_create sso',
      'feature_update summaries',
      'plan_unarchive archivedPro',
      'plan_create enterprise',
      'plan_remove starter',
      'plan_update team',
    ]);
  });
});
