import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/schema.ts';
import { loadConfig } from '../../src/config/load.ts';
import { formatChange } from '../../src/simulate/format.ts';
import type { ScenarioRun } from '../../src/simulate/ledger.ts';
import { runScenario } from '../../src/simulate/run.ts';
import type { ScenarioInput } from '../../src/simulate/schema.ts';
import { formatInstant } from '../../src/simulate/time.ts';
import { validateScenario } from '../../src/simulate/validate.ts';

const fixtures = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
let team: Catalog;
let stack: Catalog;

beforeAll(async () => {
  team = (await loadConfig({ cwd: fixtures })).catalog;
  stack = (await loadConfig({ cwd: fixtures, config: 'stack' })).catalog;
});

function run(raw: ScenarioInput, catalog: Catalog = team): ScenarioRun {
  const validation = validateScenario(raw);
  if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
  return runScenario({ scenario: validation.scenario, catalog, name: 'test', file: null, configFile: 'autumn.config.ts' });
}

const statuses = (r: ScenarioRun) => r.steps.map((s) => s.status);
const seats = (...ids: string[]) => ids.map((id) => ({ createEntity: { id, feature: 'seats' } }));

describe('runner: the scenario.md example', () => {
  it('passes as written: 5 seats, the $150 bill of period 1, the reset on Feb 1', () => {
    const raw = JSON.parse(readFileSync(`${fixtures}team.scenario.json`, 'utf8'));
    const r = run(raw);
    expect(statuses(r)).toEqual(Array(14).fill('passed'));
    expect(r.status).toBe('passed');
    const trackStep = r.steps[7]!;
    expect(trackStep.result?.action === 'track' && trackStep.result.track.applied).toBe(50);
    expect(trackStep.changes.map((c) => formatChange(c))).toEqual(['summaries@alice 50→0']);
    const advanceStep = r.steps[11]!;
    expect(advanceStep.invoices.map((i) => i.total)).toEqual([150]);
    expect(formatInstant(r.end)).toBe('2026-02-01T00:00:00Z');
    expect(r.steps[1]!.changes.map((c) => formatChange(c))).toEqual(['seats 1→0', 'summaries@alice new 50']);
  });
});

describe('runner: semantics.md Scenario 11.1 as a scenario file', () => {
  it('passes every step: check, cap vs reject, delete, re-create, the boundary on Feb 15', () => {
    const r = run(JSON.parse(readFileSync(`${fixtures}semantics-11-1.scenario.json`, 'utf8')));
    expect(r.steps.filter((s) => s.status !== 'passed').map((s) => `${s.number} ${s.failure}`)).toEqual([]);
    const capped = r.steps.find((s) => s.result?.action === 'track' && s.result.track.entity_id === 'erin' && s.status === 'passed' && s.error === null);
    expect(capped?.result?.action === 'track' && [capped.result.track.value, capped.result.track.applied]).toEqual([60, 50]);
    expect(r.customers[0]!.invoices.map((i) => `${formatInstant(i.created_at)} ${i.total}`)).toEqual(['2025-01-15T09:00:00Z 30', '2025-02-15T09:00:00Z 150']);
  });
});

describe('runner: outcomes (scenario.md "Outcomes")', () => {
  it('reports a failed expectation with expected and actual, and goes on', () => {
    const r = run({ steps: [
      { attach: { plan: 'team' } },
      ...seats('alice'),
      { expect: { feature: 'summaries', entity: 'alice', remaining: 10, allowed: true } },
      { track: { feature: 'summaries', value: 5, entity: 'alice' } },
      { expect: { feature: 'summaries', entity: 'alice', remaining: 45 } },
    ] });
    expect(statuses(r)).toEqual(['passed', 'passed', 'failed', 'passed', 'passed']);
    expect(r.steps[2]!.mismatches).toEqual([{ key: 'remaining', expected: 10, actual: 50 }]);
    expect(r.status).toBe('failed');
  });

  it('stops at a failed action and skips the rest', () => {
    const r = run({ steps: [
      { attach: { plan: 'team' } },
      { track: { feature: 'summaries', value: 5, entity: 'zed' } },
      { expect: { feature: 'summaries', remaining: 0 } },
      { advance: '1 month' },
    ] });
    expect(statuses(r)).toEqual(['passed', 'failed', 'skipped', 'skipped']);
    expect(r.steps[1]!.error?.code).toBe('entity_not_found');
    expect(r.end).toBe(r.start);
  });

  it('passes a step that fails with its expectError and leaves the state unchanged', () => {
    const r = run({ steps: [
      { attach: { plan: 'team' } },
      ...seats('alice'),
      { track: { feature: 'summaries', value: 60, entity: 'alice', overage: 'reject' }, expectError: 'insufficient_balance' },
      { expect: { feature: 'summaries', entity: 'alice', remaining: 50, usage: 0 } },
    ] });
    expect(statuses(r)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(r.steps[2]!.events).toEqual([]);
  });

  it('fails a step that raises another error than expected, or none, and stops', () => {
    const wrong = run({ steps: [
      { attach: { plan: 'team' } },
      { track: { feature: 'summaries', value: 5, entity: 'zed' }, expectError: 'insufficient_balance' },
      { advance: '1 month' },
    ] });
    expect(statuses(wrong)).toEqual(['passed', 'failed', 'skipped']);
    expect(wrong.steps[1]!.failure).toMatch(/^expected error insufficient_balance, got entity_not_found: /);

    const none = run({ steps: [{ attach: { plan: 'team' }, expectError: 'invalid_input' }, { advance: '1 day' }] });
    expect(statuses(none)).toEqual(['failed', 'skipped']);
    expect(none.steps[0]!.failure).toBe('expected error invalid_input, but the step succeeded');
  });

  it('fails an expectation on an entity that is not live with entity_not_found, and never creates it', () => {
    const r = run({ steps: [
      { attach: { plan: 'team' } },
      ...seats('alice'),
      { deleteEntity: { id: 'alice' } },
      { expect: { feature: 'summaries', entity: 'alice', remaining: 0 } },
      { expect: { feature: 'summaries', entity: 'alice' }, expectError: 'entity_not_found' },
      { expect: { feature: 'summaries', entity: 'ghost' }, expectError: 'entity_not_found' },
      { expect: { entities: { feature: 'seats', count: 0 } } },
    ] });
    expect(statuses(r)).toEqual(['passed', 'passed', 'passed', 'failed', 'passed', 'passed', 'passed']);
    expect(r.steps[3]!.error?.code).toBe('entity_not_found');
    expect(r.customers[0]!.events.filter((e) => e.source === 'entity').map((e) => `${e.entity_id} ${e.value}`)).toEqual(['alice 1', 'alice -1']);
  });

  it('tells null from 0: no plan shows null, a per-entity item with no entity shows 0', () => {
    const r = run({ steps: [
      { expect: { feature: 'summaries', remaining: null, granted: null, allowed: false } },
      { expect: { feature: 'summaries', remaining: 0 } },
      { attach: { plan: 'team' } },
      { expect: { feature: 'summaries', remaining: 0, granted: 0 } },
      { expect: { feature: 'summaries', remaining: null } },
    ] });
    expect(statuses(r)).toEqual(['passed', 'failed', 'passed', 'passed', 'failed']);
    expect(r.steps[1]!.mismatches).toEqual([{ key: 'remaining', expected: 0, actual: null }]);
    expect(r.steps[4]!.mismatches).toEqual([{ key: 'remaining', expected: null, actual: 0 }]);
  });
});

describe('runner: time and customers', () => {
  it('creates every named customer at start, in order of first mention, with autoEnable plans in ascending id', () => {
    const r = run({ customer: 'c1', steps: [
      { track: { feature: 'messages', value: 10 } },
      { track: { feature: 'messages', value: 30 }, customer: 'c2' },
      { expect: { feature: 'messages', remaining: 140 } },
      { expect: { feature: 'messages', remaining: 120 }, customer: 'c2' },
      { advance: { to: '2026-01-20T00:00:00Z' } },
    ] }, stack);
    expect(statuses(r)).toEqual(Array(5).fill('passed'));
    expect(r.customers.map((c) => c.id)).toEqual(['c1', 'c2']);
    // alpha was attached before beta (ascending id), so it is the older balance and is drawn first (R5.5 key 7).
    expect(r.steps[0]!.changes.map((c) => `${c.plan_id} ${c.before}→${c.after}`)).toEqual(['alpha 100→90']);
    expect(r.customers.map((c) => formatInstant(c.now))).toEqual(['2026-01-20T00:00:00Z', '2026-01-20T00:00:00Z']);
  });

  it('refuses to move the clock backwards with invalid_input', () => {
    const r = run({ start: '2026-03-01T00:00:00Z', steps: [
      { advance: { to: '2026-02-01T00:00:00Z' }, expectError: 'invalid_input' },
      { advance: { to: '2026-03-01T00:00:00Z' } },
      { advance: { to: '2026-02-01T00:00:00Z' } },
    ] });
    expect(statuses(r)).toEqual(['passed', 'passed', 'failed']);
    expect(r.steps[2]!.error).toMatchObject({ code: 'invalid_input', message: 'advance to 2026-02-01T00:00:00Z is earlier than the clock (2026-03-01T00:00:00Z); time only moves forward' });
  });

  it('checks invoices by service period: not before the period ends; "last" is the latest ended one', () => {
    const r = run({ steps: [
      { attach: { plan: 'pro' } },
      ...seats('a', 'b', 'c'),
      { createEntity: { id: 'd', feature: 'seats' }, expectError: 'feature_limit_reached' },
      { expect: { invoice: { period: 1, total: 20 } } },
      { advance: '2 months' },
      { expect: { invoice: { period: 1, total: 40, lines: [{ kind: 'base', amount: 20 }, { kind: 'seats', quantity: 2, amount: 20 }] } } },
      { expect: { invoice: { period: 'last', total: 40 } } },
      { expect: { invoice: { period: 'last', total: 41 } } },
    ] }, stack);
    expect(statuses(r)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'failed', 'passed', 'passed', 'passed', 'failed']);
    expect(r.steps[5]!.mismatches).toEqual([{ key: 'period', expected: 1, actual: 'period 1 has not ended yet: it ends 2026-02-01 and the clock is at 2026-01-01' }]);
    expect(r.steps[8]!.result).toMatchObject({ action: 'expect', actual: { period: 2 } });
    expect(r.steps[9]!.mismatches).toEqual([{ key: 'total', expected: 41, actual: 40 }]);
  });

  it('honours entityOrder: customer-level tracks drain slices by creation or by id (Example 5.B)', () => {
    const steps = [{ attach: { plan: 'team' } }, ...seats('user-9', 'user-10'), { track: { feature: 'summaries', value: 70 } }];
    const created = run({ steps });
    const byId = run({ entityOrder: 'id', steps });
    expect(created.steps[3]!.changes.map((c) => formatChange(c))).toEqual(['summaries@user-9 50→0', 'summaries@user-10 50→30']);
    expect(byId.steps[3]!.changes.map((c) => formatChange(c)).sort()).toEqual(['summaries@user-10 50→0', 'summaries@user-9 50→30']);
  });
});
