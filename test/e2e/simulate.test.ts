import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempProject } from '../support/cli.ts';

// `atmn simulate` as a user runs it: the built CLI (`npm run build` first), real files, no TTY.
const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios', name), 'utf8');
const TEAM_CONFIG = fixture('autumn.config.ts');
const TEAM_SCENARIO = fixture('team.scenario.json');
const lines = (text: string) => text.split('\n');

describe('atmn simulate: the README seat example', () => {
  it('runs the scenario.md example and prints the $150 bill of period 1', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'team.scenario.json': TEAM_SCENARIO });
    const { code, stdout, stderr } = await runCli(['simulate', 'team.scenario.json'], { cwd });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = lines(stdout);
    expect(out.slice(0, 3)).toEqual([
      'Scenario: team of five',
      '  file team.scenario.json · config autumn.config.ts',
      '  customer org_123 · start 2026-01-01 · entity order created',
    ]);
    expect(out).toContain('   1  2026-01-01  attach team                  ✓  invoice $30.00                 seats new 1');
    expect(out).toContain('   6  2026-01-01  create erin (seats)          ✓  seats in use: 5                seats -3→-4, summaries@erin new 50');
    expect(out).toContain('   8  2026-01-01  track summaries 50 on alice  ✓  applied 50                     summaries@alice 50→0');
    expect(out).toContain('  12  2026-01-01  advance 1 month              ✓  → 2026-02-01, invoice $150.00  summaries@alice 0→50');
    const bill = out.indexOf('Invoices · customer org_123');
    expect(out.slice(bill, bill + 8)).toEqual([
      'Invoices · customer org_123',
      '  period 1  2026-01-01 → 2026-02-01',
      '            team base price                          $30.00',
      '            seats: 4 extra × $30.00                 $120.00',
      '            total                                   $150.00',
      '  period 2  2026-02-01 → 2026-03-01  (in progress)',
      '            team base price                          $30.00',
      '            total so far                             $30.00',
    ]);
    expect(out).toContain('  customer (all)  5 used, 1 included  250 left of 250');
    expect(out[out.length - 2]).toBe('✓ team of five: 14 steps passed');
  });

  it('builds the same bill from the quick form, with no file', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG });
    const { code, stdout } = await runCli(['simulate', '--plan', 'team', '--seats', '5', '--track', 'summaries=60@seat-1', '--months', '2'], { cwd });
    expect(code).toBe(0);
    const out = lines(stdout);
    expect(out[0]).toBe('Scenario: team, 5 seats, 2 months');
    expect(out).toContain('   7  2026-01-01  track summaries 60 on seat-1  ✓  applied 50 of 60               summaries@seat-1 50→0');
    expect(out.filter((l) => l === '            seats: 4 extra × $30.00                 $120.00')).toHaveLength(2);
    expect(out.filter((l) => l === '            total                                   $150.00')).toHaveLength(2);
    expect(out[out.length - 2]).toBe('✓ team, 5 seats, 2 months: 10 steps passed');
  });
});

describe('atmn simulate: failures', () => {
  it('exits 1 on a failed expectation, shows expected vs actual, and keeps going', async () => {
    const scenario = {
      name: 'wrong guess',
      steps: [
        { attach: { plan: 'team' } },
        { createEntity: { id: 'alice', feature: 'seats' } },
        { expect: { feature: 'summaries', entity: 'alice', remaining: 10, allowed: false } },
        { track: { feature: 'summaries', value: 5, entity: 'alice' } },
        { advance: '1 month' },
        { expect: { invoice: { period: 1, total: 60, lines: [{ kind: 'base', amount: 30 }] } } },
      ],
    };
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'wrong.scenario.json': JSON.stringify(scenario, null, 2) });
    const { code, stdout } = await runCli(['simulate', 'wrong.scenario.json'], { cwd });
    expect(code).toBe(1);
    const out = lines(stdout);
    const row = out.findIndex((l) => l.startsWith('  3  2026-01-01  expect summaries on alice'));
    expect(out[row]).toMatch(/✗  2 differences$/);
    expect(out.slice(row + 1, row + 3)).toEqual(['      allowed: expected false, got true', '      remaining: expected 10, got 50']);
    expect(out).toContain('  4  2026-01-01  track summaries 5 on alice  ✓  applied 5                     summaries@alice 50→45');
    const bill = out.findIndex((l) => l.startsWith('  6  2026-02-01  expect invoice of period 1'));
    expect(out[bill]).toMatch(/✗  2 differences$/);
    expect(out.slice(bill + 1, bill + 5)).toEqual([
      '      total: expected 60, got 30',
      '      lines: expected 1 line, got 2 lines',
      '        actual lines[0]: kind base, quantity 1, amount 30',
      '        actual lines[1]: kind seats, feature seats, quantity 0, amount 0',
    ]);
    expect(out[out.length - 2]).toBe('✗ wrong guess: 2 of 6 steps failed');
  });

  it('stops at a failed action and marks the rest skipped', async () => {
    const scenario = { steps: [{ attach: { plan: 'team' } }, { track: { feature: 'summaries', entity: 'zed' } }, { advance: '1 month' }] };
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 's.scenario.json': JSON.stringify(scenario) });
    const { code, stdout } = await runCli(['simulate', 's.scenario.json'], { cwd });
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toContain('  2  2026-01-01  track summaries 1 on zed  ✗  error entity_not_found');
    expect(out).toContain("      Entity 'zed' does not exist for customer 'customer'. 'seats' is billable, so create 'zed' explicitly with entities.create.");
    expect(out).toContain('  3  2026-01-01  advance 1 month           –  skipped');
    expect(out[out.length - 2]).toBe('✗ s.scenario.json: 1 of 3 steps failed, 1 skipped');
  });

  it('rejects a bad scenario file with every path, message and code frame at once, and no stack', async () => {
    const text = [
      '{',
      '  "customer": "org_1",',
      '  "steps": [',
      '    { "attach": { "plan": "tem" } },',
      '    { "track": { "feature": "summaries", "value": "ten" } },',
      '    { "advance": "1 fortnight" }',
      '  ]',
      '}',
    ].join('\n');
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'bad.scenario.json': text });
    const { code, stdout, stderr } = await runCli(['simulate', 'bad.scenario.json'], { cwd });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(lines(stderr.trimEnd())).toEqual([
      "bad.scenario.json:4:26: error: steps[0].attach.plan: plan 'tem' is not defined in autumn.config.ts",
      '    4 │     { "attach": { "plan": "tem" } },',
      '                                  ~~~~~',
      "  hint: Did you mean 'team'?",
      'bad.scenario.json:5:50: error: steps[1].track.value: must be a number; got "ten"',
      '    5 │     { "track": { "feature": "summaries", "value": "ten" } },',
      '                                                          ~~~~~',
      'bad.scenario.json:6:17: error: steps[2].advance: must read "N unit(s)" with N a positive integer and unit minute, hour, day, week, month or year, e.g. "1 month"; got "1 fortnight"',
      '    6 │     { "advance": "1 fortnight" }',
      '                         ~~~~~~~~~~~~~',
      '3 errors: bad.scenario.json is not a valid scenario',
    ]);
  });

  it('reports invalid JSON at its position', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'x.scenario.json': '{ "steps": [\n  { "advance": "1 day" },\n] }' });
    const { code, stderr } = await runCli(['simulate', 'x.scenario.json'], { cwd });
    expect(code).toBe(1);
    expect(lines(stderr.trimEnd())).toEqual([
      'x.scenario.json:3:0: error: x.scenario.json is not valid JSON: trailing comma: remove the comma before ]',
      '    3 │ ] }',
      '        ~',
      '  hint: Fix the JSON at the place shown (keys and strings use double quotes; no trailing commas).',
    ]);
  });

  it('names a missing config and a missing scenario file', async () => {
    const cwd = tempProject({ 'sub/a.scenario.json': JSON.stringify({ steps: [{ advance: '1 day' }] }) });
    const missingConfig = await runCli(['simulate', 'sub/a.scenario.json'], { cwd });
    expect(missingConfig.code).toBe(1);
    expect(missingConfig.stderr).toBe(
      'error: scenario sub/a.scenario.json runs against sub/autumn.config.ts, which does not exist\n' +
        '  hint: Set "config" in the scenario (a path relative to the scenario file), or pass --config path/to/autumn.config.ts.\n',
    );
    const missingFile = await runCli(['simulate', 'nope.scenario.json'], { cwd });
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toMatch(/^error: scenario file nope\.scenario\.json does not exist\n/);
  });

  it('refuses quick-form flags without --plan, and a malformed --track', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG });
    const noPlan = await runCli(['simulate', '--seats', '3'], { cwd });
    expect(noPlan.code).toBe(1);
    expect(noPlan.stderr).toBe('error: --seats belongs to the quick form, which needs --plan\n  hint: Example: atmn simulate --plan team --seats 5 --track summaries=60@seat-1 --months 2\n');
    const badTrack = await runCli(['simulate', '--plan', 'team', '--track', 'summaries:60'], { cwd });
    expect(badTrack.code).toBe(1);
    expect(badTrack.stderr).toBe(
      "error: --track takes feature=value[@entity], e.g. summaries=60@seat-1; got 'summaries:60'\n  hint: The value is a number (negative for a refund); @entity is optional.\n",
    );
  });
});

describe('atmn simulate: forms and options', () => {
  it('runs a *.scenario.ts built with the helpers from atmn', async () => {
    const ts = [
      "import { scenario, attach, createEntity, track, advance, expect } from 'atmn';",
      "const people = ['alice', 'bob', 'carol', 'dan', 'erin'];",
      'export default scenario({',
      "  customer: 'org_123',",
      '  steps: [',
      "    attach('team'),",
      "    ...people.map((id) => createEntity(id, 'seats')),",
      "    track('summaries', 50, { entity: 'alice' }),",
      "    expect({ feature: 'summaries', entity: 'alice', remaining: 0, allowed: false }),",
      "    advance('1 month'),",
      '    expect({ invoice: { period: 1, total: 150 } }),',
      '  ],',
      '});',
    ].join('\n');
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'seats.scenario.ts': ts });
    const { code, stdout, stderr } = await runCli(['simulate', 'seats.scenario.ts'], { cwd });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^  10  2026-02-01  expect invoice of period 1 +✓  period 1: \$150\.00$/m);
    expect(lines(stdout)[lines(stdout).length - 2]).toBe('✓ seats.scenario.ts: 10 steps passed');
  });

  it('reports a TypeScript scenario without a default export', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'x.scenario.ts': "export const steps = [];\n" });
    const { code, stderr } = await runCli(['simulate', 'x.scenario.ts'], { cwd });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: x\.scenario\.ts has no default export\n  hint: Write: import \{ scenario, attach \} from 'atmn'; export default scenario/);
  });

  it('prints one versioned JSON document with the full ledger', async () => {
    const scenario = JSON.parse(TEAM_SCENARIO);
    scenario.steps.push({ expect: { feature: 'summaries', remaining: 1 } });
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'team.scenario.json': JSON.stringify(scenario) });
    const { code, stdout } = await runCli(['simulate', 'team.scenario.json', '--json'], { cwd });
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ format_version: 1, status: 'failed', summary: { scenarios: 1, steps: 15, passed: 14, failed: 1, skipped: 0 } });
    const [run] = doc.scenarios;
    expect(run).toMatchObject({ name: 'team of five', file: 'team.scenario.json', config: 'autumn.config.ts', customer: 'org_123', start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' });
    expect(run.steps.map((s: { status: string }) => s.status)).toEqual([...Array(14).fill('passed'), 'failed']);
    const track = run.steps[7];
    expect(track).toMatchObject({ number: 8, action: 'track', at: '2026-01-01T00:00:00Z', result: { track: { applied: 50, value: 50 } } });
    expect(track.events).toMatchObject([{ source: 'track', entity_id: 'alice', feature_id: 'summaries', value: 50, applied: 50, timestamp: '2026-01-01T00:00:00Z' }]);
    expect(track.balance_changes).toMatchObject([{ feature_id: 'summaries', owner: 'slice', entity_id: 'alice', before: 50, after: 0 }]);
    expect(run.steps[11].invoices).toMatchObject([{ created_at: '2026-02-01T00:00:00Z', total: 150 }]);
    expect(run.steps[14]).toMatchObject({ status: 'failed', mismatches: [{ key: 'remaining', expected: 1, actual: 250 }] });
    const [customer] = run.customers;
    expect(customer.periods.map((p: { period: number; total: number; ended: boolean }) => [p.period, p.total, p.ended])).toEqual([[1, 150, true], [2, 30, false]]);
    expect(customer.periods[0].lines.map((l: { description: string }) => l.description)).toEqual(['team base price', 'seats: 4 extra × $30.00']);
    expect(customer.entities.map((e: { id: string }) => e.id)).toEqual(['alice', 'bob', 'carol', 'dan', 'erin']);
  });

  it('finds scenarios in the current folder, and resolves "config" relative to the scenario file', async () => {
    const cwd = tempProject({
      'pricing/autumn.config.ts': TEAM_CONFIG,
      'b.scenario.json': JSON.stringify({ config: 'pricing/autumn.config.ts', steps: [{ attach: { plan: 'team' } }] }),
      'a.scenario.json': JSON.stringify({ config: './pricing', steps: [{ expect: { feature: 'summaries', remaining: null } }] }),
    });
    const { code, stdout } = await runCli(['simulate'], { cwd });
    expect(code).toBe(0);
    expect(lines(stdout).filter((l) => l.startsWith('✓'))).toEqual(['✓ a.scenario.json: 1 step passed', '✓ b.scenario.json: 1 step passed']);
    expect(stdout).toContain('  file a.scenario.json · config pricing/autumn.config.ts');
  });

  it('--config wins over the scenario, --entity-order over its entityOrder', async () => {
    const scenario = {
      config: 'missing.config.ts',
      steps: [
        { attach: { plan: 'team' } },
        { createEntity: { id: 'user-9', feature: 'seats' } },
        { createEntity: { id: 'user-10', feature: 'seats' } },
        { track: { feature: 'summaries', value: 70 } },
        { expect: { feature: 'summaries', entity: 'user-9', remaining: 30 } },
      ],
    };
    const dir = tempProject({ 'autumn.config.ts': TEAM_CONFIG });
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(join(dir, 'scenarios/order.scenario.json'), JSON.stringify(scenario));
    const { code, stdout } = await runCli(['simulate', 'scenarios/order.scenario.json', '--config', 'autumn.config.ts', '--entity-order', 'id'], { cwd: dir });
    // 'id' order drains "user-10" first ("user-10" < "user-9"), though user-9 was created first.
    expect(stdout).toMatch(/^  4  2026-01-01  track summaries 70 +✓  applied 70 +summaries@user-10 50→0, summaries@user-9 50→30$/m);
    expect(code).toBe(0);
  });

  it('moves every customer together and says whose balances an advance touched', async () => {
    const scenario = {
      customer: 'c1',
      steps: [
        { track: { feature: 'messages', value: 10 } },
        { track: { feature: 'messages', value: 30 }, customer: 'c2' },
        { advance: '1 month' },
      ],
    };
    const cwd = tempProject({ 'autumn.config.ts': readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios/stack/autumn.config.ts'), 'utf8'), 'two.scenario.json': JSON.stringify(scenario) });
    const { code, stdout } = await runCli(['simulate', 'two.scenario.json'], { cwd });
    expect(code).toBe(0);
    expect(lines(stdout).slice(2, 10)).toEqual([
      '  customers c1, c2 · start 2026-01-01 · entity order created',
      '  autoEnable plans attached at start: c1: alpha, beta; c2: alpha, beta',
      '',
      '  #  date        customer  step                  result        balances',
      '  1  2026-01-01  c1        track messages 10  ✓  applied 10    messages (alpha) 100→90',
      '  2  2026-01-01  c2        track messages 30  ✓  applied 30    messages (alpha) 100→70',
      '  3  2026-01-01  all       advance 1 month    ✓  → 2026-02-01  c1: messages (alpha) 90→100, c2: messages (alpha) 70→100',
      '',
    ]);
  });

  it('colors only when asked: FORCE_COLOR colors, NO_COLOR and --no-color do not', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'team.scenario.json': TEAM_SCENARIO });
    const colored = await runCli(['simulate', 'team.scenario.json'], { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(colored.stdout).toContain('\u001b[32m✓\u001b[39m');
    const plain = await runCli(['simulate', 'team.scenario.json', '--no-color'], { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe(colored.stdout.replace(/\u001b\[[0-9;]*m/g, ''));
  });
});

describe('atmn simulate: the templates ship scenarios that pass', () => {
  for (const name of ['team', 'chat', 'infra', 'ai-credits', 'issue-tracker']) {
    it(`${name}.scenario.json passes against ${name}.config.ts`, async () => {
      const { code, stdout, stderr } = await runCli(['simulate', `templates/${name}.scenario.json`, '--config', `templates/${name}.config.ts`], { cwd: REPO_ROOT });
      expect(stderr).toBe('');
      expect(lines(stdout)[lines(stdout).length - 2]).toMatch(/^✓ .*: \d+ steps passed$/);
      expect(code).toBe(0);
    });
  }
});
