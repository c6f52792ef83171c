import { describe, expect, it } from 'vitest';
import { scanJson } from '../../src/simulate/json-source.ts';
import { validateScenario } from '../../src/simulate/validate.ts';

/** Every problem as "path: message [hint]" with the code-frame line:column when JSON positions exist. */
function problems(raw: unknown): string[] {
  const text = JSON.stringify(raw, null, 2);
  const result = validateScenario(raw, scanJson('s.scenario.json', text));
  if (result.ok) return [];
  return result.issues.map((i) => `${i.location ? `${i.location.line}:${i.location.column} ` : ''}${i.path}: ${i.message}${i.hint ? ` [${i.hint}]` : ''}`);
}

describe('scenario validation: paths and fixes, every problem at once', () => {
  it('accepts the minimal scenario and fills the defaults of scenario.md', () => {
    const result = validateScenario({ steps: [{ attach: { plan: 'team' } }, { track: { feature: 'summaries' } }, { check: { feature: 'summaries' } }] });
    expect(result.ok && result.scenario).toEqual({
      customer: 'customer',
      start: '2026-01-01T00:00:00Z',
      entityOrder: 'created',
      steps: [{ attach: { plan: 'team' } }, { track: { feature: 'summaries', value: 1 } }, { check: { feature: 'summaries', required: 1 } }],
    });
  });

  it('reports top-level problems together with step problems', () => {
    expect(problems({ customer: '', start: '2026-01-01', entityOrder: 'sorted', steps: [{ track: { feature: 'x', value: 'ten' } }], extra: 1 })).toEqual([
      '2:14 customer: must be a non-empty string; got ""',
      '3:11 start: must be an ISO 8601 UTC instant such as "2026-02-01T00:00:00Z"; got "2026-01-01"',
      `4:17 entityOrder: must be 'created' or 'id'; got "sorted"`,
      `13:2 extra: unknown key 'extra' [Allowed keys: 'name', 'config', 'customer', 'start', 'entityOrder' or 'steps'.]`,
      '9:17 steps[0].track.value: must be a number; got "ten"',
    ]);
  });

  it('names the action a step is missing, doubles, or misspells', () => {
    expect(problems({ steps: [{ trak: { feature: 'x' } }, {}, { track: { feature: 'x' }, check: { feature: 'x' } }, 5] })).toEqual([
      `4:6 steps[0].trak: unknown key 'trak' in a step [Did you mean 'track'?]`,
      `8:4 steps[1]: a step needs exactly one action: 'attach', 'detach', 'createEntity', 'deleteEntity', 'track', 'check', 'advance' or 'expect'`,
      `9:4 steps[2]: a step takes exactly one action, but this one has 'track' and 'check' [Put each action in its own step.]`,
      '17:4 steps[3]: a step must be an object with one action key, such as { "track": { "feature": "messages" } }; got 5',
    ]);
  });

  it('explains advance durations and instants', () => {
    expect(problems({ steps: [{ advance: '1 fortnight' }, { advance: { to: '2026-01-01' } }, { advance: 3 }, { advance: {} }] })).toEqual([
      '4:17 steps[0].advance: must read "N unit(s)" with N a positive integer and unit minute, hour, day, week, month or year, e.g. "1 month"; got "1 fortnight"',
      '8:14 steps[1].advance.to: must be an ISO 8601 UTC instant such as "2026-02-01T00:00:00Z"; got "2026-01-01"',
      '12:17 steps[2].advance: advance takes "N unit(s)" such as "1 month", or { "to": "2026-02-01T00:00:00Z" }; got 3',
      '15:17 steps[3].advance.to: is required: add the instant, e.g. "to": "2026-02-01T00:00:00Z"',
    ]);
  });

  it('validates each kind of expectation with its own keys', () => {
    expect(problems({ steps: [
      { expect: { feature: 'x', remainin: 3 } },
      { expect: { invoice: { period: 'first', lines: [{ kind: 'bse' }] } } },
      { expect: { entities: { feature: 's', count: 1.5 } } },
    ] })).toEqual([
      `6:8 steps[0].expect.remainin: unknown key 'remainin' [Did you mean 'remaining'?]`,
      '12:20 steps[1].expect.invoice.period: must be a period number (1, 2, …) or "last"; got "first"',
      `15:22 steps[1].expect.invoice.lines[0].kind: must be 'base', 'prepaid', 'usage' or 'seats'; got "bse" [Did you mean 'base'?]`,
      '14:12 steps[1].expect.invoice.lines[0].amount: is required: add the line amount in dollars, e.g. "amount": 30',
      '25:19 steps[2].expect.entities.count: must be a whole number; got 1.5',
    ]);
  });

  it('checks step options, enums and quantities', () => {
    expect(problems({ steps: [
      { track: { feature: 'x', overage: 'capp' }, expectError: 'insufficent_balance' },
      { attach: { plan: 'p', quantities: { credits: -1 } } },
      { createEntity: { id: 'a' } },
    ] })).toEqual([
      `6:19 steps[0].track.overage: must be 'cap' or 'reject'; got "capp" [Did you mean 'cap'?]`,
      `8:21 steps[0].expectError: must be 'customer_not_found', 'feature_not_found', 'plan_not_found', 'entity_not_found', 'entity_already_exists', 'feature_limit_reached', 'insufficient_balance', 'duplicate_idempotency_key' or 'invalid_input'; got "insufficent_balance" [Did you mean 'insufficient_balance'?]`,
      '14:21 steps[1].attach.quantities.credits: must be 0 or more; got -1',
      '19:22 steps[2].createEntity.feature: is required: add the feature id, e.g. "feature": "seats"',
    ]);
  });

  it('rejects a scenario that is not an object, and an empty step list', () => {
    expect(problems([])).toEqual(['1:0 : a scenario must be an object with a "steps" array; got [] [Start from { "customer": "org_1", "steps": [ { "attach": { "plan": "pro" } } ] }]']);
    expect(problems({ steps: [] })).toEqual(['2:11 steps: add at least one step']);
    expect(problems({ name: 'x' })).toEqual(['1:0 steps: is required: add the steps, e.g. "steps": [{ "attach": { "plan": "pro" } }]']);
  });
});

describe('JSON syntax errors point at the place', () => {
  it('reports trailing commas and single quotes with an offset', () => {
    expect(() => scanJson('f', '{ "steps": [1,] }')).toThrow('trailing comma: remove the comma before ]');
    expect(() => scanJson('f', "{ 'steps': [] }")).toThrow('expected a property name in double quotes');
    expect(() => scanJson('f', '{ "a": 1 } x')).toThrow("unexpected 'x' after the end of the JSON value");
  });

  it('says what an invoice period takes, whatever is wrong with it', () => {
    const period = (value: unknown) => problems({ steps: [{ expect: { invoice: { period: value } } }] }).map((p) => p.replace(/^\S+ /, ''));
    const message = (shown: string) => [`steps[0].expect.invoice.period: must be a period number (1, 2, …) or "last"; got ${shown}`];
    expect(period(0)).toEqual(message('0'));
    expect(period(-2)).toEqual(message('-2'));
    expect(period(1.5)).toEqual(message('1.5'));
    expect(period('first')).toEqual(message('"first"'));
  });
});
