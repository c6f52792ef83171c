import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { advance, attach, check, createEntity, deleteEntity, detach, expect as expectStep, scenario, track } from '../../src/dsl/index.ts';
import { validateScenario } from '../../src/simulate/validate.ts';

describe("scenario helpers from 'atmn' return exactly the JSON objects of scenario.md", () => {
  it('builds each action, positional or as an object, with step options split off', () => {
    expect(attach('team')).toEqual({ attach: { plan: 'team' } });
    expect(attach('credits', { entity: 'e1', quantities: { credits: 300 }, customer: 'org_2' })).toEqual({ attach: { plan: 'credits', entity: 'e1', quantities: { credits: 300 } }, customer: 'org_2' });
    expect(attach({ plan: 'max', expectError: 'invalid_input' })).toEqual({ attach: { plan: 'max' }, expectError: 'invalid_input' });
    expect(detach('team', { entity: 'e1' })).toEqual({ detach: { plan: 'team', entity: 'e1' } });
    expect(createEntity('alice', 'seats')).toEqual({ createEntity: { id: 'alice', feature: 'seats' } });
    expect(createEntity('alice', 'seats', { name: 'Alice' })).toEqual({ createEntity: { id: 'alice', feature: 'seats', name: 'Alice' } });
    expect(deleteEntity('dan')).toEqual({ deleteEntity: { id: 'dan' } });
    expect(track('summaries')).toEqual({ track: { feature: 'summaries' } });
    expect(track('summaries', 50, { entity: 'alice' })).toEqual({ track: { feature: 'summaries', value: 50, entity: 'alice' } });
    expect(track({ feature: 'messages', value: 40, overage: 'reject', idempotencyKey: 'k1', expectError: 'insufficient_balance' })).toEqual({
      track: { feature: 'messages', value: 40, overage: 'reject', idempotencyKey: 'k1' }, expectError: 'insufficient_balance',
    });
    expect(check('summaries', { entity: 'bob', required: 60 })).toEqual({ check: { feature: 'summaries', entity: 'bob', required: 60 } });
    expect(advance('1 month')).toEqual({ advance: '1 month' });
    expect(advance({ to: '2026-03-01T00:00:00Z' }, { customer: 'org_2' })).toEqual({ advance: { to: '2026-03-01T00:00:00Z' }, customer: 'org_2' });
    expect(expectStep({ entities: { feature: 'seats', count: 5 } })).toEqual({ expect: { entities: { feature: 'seats', count: 5 } } });
    expect(expectStep({ feature: 'summaries', entity: 'dan' }, { expectError: 'entity_not_found' })).toEqual({ expect: { feature: 'summaries', entity: 'dan' }, expectError: 'entity_not_found' });
  });

  it('spells the scenario.md example so that it equals the JSON fixture', () => {
    const built = scenario({
      name: 'team of five',
      customer: 'org_123',
      steps: [
        attach('team'),
        createEntity('alice', 'seats'),
        createEntity('bob', 'seats'),
        createEntity('carol', 'seats'),
        createEntity('dan', 'seats'),
        createEntity('erin', 'seats'),
        expectStep({ entities: { feature: 'seats', count: 5 } }),
        track('summaries', 50, { entity: 'alice' }),
        expectStep({ feature: 'summaries', entity: 'alice', remaining: 0, allowed: false }),
        expectStep({ feature: 'summaries', entity: 'bob', remaining: 50 }),
        expectStep({ feature: 'summaries', remaining: 200 }),
        advance('1 month'),
        expectStep({ invoice: { period: 1, total: 150, lines: [{ kind: 'base', amount: 30 }, { kind: 'seats', feature: 'seats', quantity: 4, amount: 120 }] } }),
        expectStep({ feature: 'summaries', entity: 'alice', remaining: 50 }),
      ],
    });
    const json = JSON.parse(readFileSync(new URL('../fixtures/scenarios/team.scenario.json', import.meta.url), 'utf8'));
    expect(JSON.parse(JSON.stringify(built))).toEqual(json);
    expect(validateScenario(built).ok).toBe(true);
  });
});
