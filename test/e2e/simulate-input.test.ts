import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempProject } from '../support/cli.ts';

// Bad and extreme input to `atmn simulate`, as a user types it: the built CLI, real files.
// Each refusal names the thing and the fix, exits 1, and prints no stack.
const TEAM_CONFIG = readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios/autumn.config.ts'), 'utf8');
const lines = (text: string) => text.split('\n');

describe('atmn simulate: quick-form flags are checked before anything runs', () => {
  it('an unknown --track feature is a usage error with a suggestion, not a failed step', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG });
    const typo = await runCli(['simulate', '--plan', 'team', '--track', 'sumaries=5'], { cwd });
    expect(typo.code).toBe(1);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe("error: --track: feature 'sumaries' is not defined in the config\n  hint: Did you mean 'summaries'?\n");
  });

  it('sizes past the quick form\'s limits are refused with the limit and the way past it', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG });
    const seats = await runCli(['simulate', '--plan', 'team', '--seats', '100000'], { cwd });
    expect(seats.code).toBe(1);
    expect(seats.stderr).toBe("error: --seats takes a whole number from 0 to 1000; got '100000'\n  hint: The quick form stops at 1000; a scenario file can create more.\n");
    const months = await runCli(['simulate', '--plan', 'team', '--months', '1201'], { cwd });
    expect(months.code).toBe(1);
    expect(months.stderr).toBe("error: --months takes a whole number from 0 to 1200; got '1201'\n  hint: The quick form stops at 1200; a scenario file can run longer.\n");
    const fraction = await runCli(['simulate', '--plan', 'team', '--months', '1.5'], { cwd });
    expect(fraction.stderr).toBe("error: --months takes a whole number from 0 to 1200; got '1.5'\n  hint: Example: --months 3\n");
  });

  it('a --track value that overflows, and an empty --customer, are refused once each', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG });
    const huge = await runCli(['simulate', '--plan', 'team', '--track', 'summaries=1e400'], { cwd });
    expect(huge.code).toBe(1);
    expect(huge.stderr).toBe("error: --track takes feature=value[@entity], e.g. summaries=60@seat-1; got 'summaries=1e400'\n  hint: 1e400 is too large to be a finite number.\n");
    const empty = await runCli(['simulate', '--plan', 'team', '--customer', ''], { cwd });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe('error: --customer takes a non-empty customer id\n  hint: Example: --customer org_123, or drop it to use "customer".\n');
  });

  it('accepts exponent notation in --track, and runs the longest quick form, 100 years, period by period', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG });
    const { code, stdout, stderr } = await runCli(['simulate', '--plan', 'team', '--seats', '2', '--track', 'summaries=1e1@seat-1', '--months', '1200'], { cwd });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = lines(stdout);
    expect(out).toContain('     4  2026-01-01  track summaries 10 on seat-1  ✓  applied 10                    summaries@seat-1 50→40');
    // Every ended period bills $30 base + 1 extra seat; the last one ended on 2126-01-01.
    expect(out.filter((l) => /^ +total +\$60\.00$/.test(l))).toHaveLength(1200);
    expect(out).toContain('  period 1200  2125-12-01 → 2126-01-01');
    expect(out).toContain('  period 1201  2126-01-01 → 2126-02-01  (in progress)');
    expect(out[out.length - 2]).toBe('✓ team, 2 seats, 1200 months: 2403 steps passed');
  });
});

describe('atmn simulate: odd files', () => {
  it('a folder given as a scenario says so', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG });
    mkdirSync(join(cwd, 'all.scenario.json'));
    const { code, stderr } = await runCli(['simulate', 'all.scenario.json'], { cwd });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'error: all.scenario.json is a folder, not a scenario file\n' +
        '  hint: Pass the scenario files inside it (e.g. all.scenario.json/*.scenario.json), or run atmn simulate in that folder to run them all.\n',
    );
  });

  it('a TypeScript syntax error names the scenario as the user wrote its path', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'sub/broken.scenario.ts': "import { scenario } from 'atmn';\nexport default scenario({ steps: [] \n" });
    const { code, stderr } = await runCli(['simulate', 'sub/broken.scenario.ts', '--config', 'autumn.config.ts'], { cwd });
    expect(code).toBe(1);
    expect(lines(stderr)[0]).toBe('sub/broken.scenario.ts:3:0: error: Expected "}" but found end of file');
    expect(stderr).not.toContain(cwd);
  });

  it('an empty scenario file is reported as invalid JSON at its start', async () => {
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'empty.scenario.json': '' });
    const { code, stderr } = await runCli(['simulate', 'empty.scenario.json'], { cwd });
    expect(code).toBe(1);
    expect(lines(stderr)[0]).toBe('empty.scenario.json:1:0: error: empty.scenario.json is not valid JSON: expected a value, found the end of the file');
  });
});

describe('atmn simulate: time at the edges of the calendar', () => {
  it('an advance past year 9999 fails its step with the limit instead of crashing the report', async () => {
    const scenario = { steps: [{ attach: { plan: 'team' } }, { advance: '300000 years' }, { advance: '1 day' }] };
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'far.scenario.json': JSON.stringify(scenario) });
    const { code, stdout, stderr } = await runCli(['simulate', 'far.scenario.json'], { cwd });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toContain('  2  2026-01-01  advance 300000 years  ✗  error invalid_input');
    expect(out).toContain('      advance "300000 years" would move the clock past 9999-12-31T23:59:59.999Z, the last instant a scenario can reach');
    expect(out).toContain('  3  2026-01-01  advance 1 day         –  skipped');
  });

  it('a single advance across 400 years of monthly renewals bills every one of them', async () => {
    const scenario = { steps: [{ attach: { plan: 'team' } }, { advance: { to: '2426-01-01T00:00:00Z' } }, { expect: { invoice: { period: 'last', total: 30 } } }] };
    const cwd = tempProject({ 'autumn.config.ts': TEAM_CONFIG, 'long.scenario.json': JSON.stringify(scenario) });
    const { code, stdout } = await runCli(['simulate', 'long.scenario.json', '--json'], { cwd });
    expect(code).toBe(0);
    const [run] = JSON.parse(stdout).scenarios;
    expect(run.steps[1].invoices).toHaveLength(4800);
    expect(run.customers[0].periods).toHaveLength(4801);
    expect(run.customers[0].periods[4799]).toMatchObject({ period: 4800, start: '2425-12-01T00:00:00Z', end: '2426-01-01T00:00:00Z', total: 30, ended: true });
  });
});

describe('atmn simulate: money past 2^53 cents is printed exactly', () => {
  it('a $10^21 base price bills $1,000,000,000,000,000,000,000.00', async () => {
    const config = [
      "import { feature, item, plan } from 'atmn';",
      "export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });",
      "export const big = plan({ id: 'big', name: 'Big', price: { amount: 1e21, interval: 'month' }, items: [item({ featureId: seats.id, included: 1 })] });",
    ].join('\n');
    const cwd = tempProject({ 'autumn.config.ts': config });
    const { code, stdout } = await runCli(['simulate', '--plan', 'big', '--months', '1'], { cwd });
    expect(code).toBe(0);
    expect(lines(stdout)).toContain('  1  2026-01-01  attach big       ✓  invoice $1,000,000,000,000,000,000,000.00                seats new 1');
    expect(lines(stdout)).toContain('            total                                   $1,000,000,000,000,000,000,000.00');
  });
});
