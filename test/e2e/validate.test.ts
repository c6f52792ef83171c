import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT, runCli, tempProject } from '../support/cli.ts';

/** `atmn validate` as a user runs it: the built CLI, real files, exact output (issue #2, item 5). */
const EXAMPLE = readFileSync(join(REPO_ROOT, 'autumn.config.example.ts'), 'utf8');

describe('atmn validate', () => {
  test('the README quick start: the example config is valid, with a summary on stdout', async () => {
    const result = await runCli(['validate', '--config', 'autumn.config.example.ts'], { cwd: REPO_ROOT });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '✓ autumn.config.example.ts is valid: 2 features, 2 plans',
        '',
        'Features (2)',
        '  seats      Seats              metered, non-consumable',
        '  summaries  Meeting Summaries  metered, consumable',
        '',
        'Plans (2)',
        '  free  Free  auto-enable, group main',
        '    seats: 1',
        '    summaries: 10 / month per seat',
        '  team  Team  $30 / month  group main',
        '    seats: 1 + $30 per seat / month (usage-based)',
        '    summaries: 50 / month per seat',
        '',
      ].join('\n'),
    );
  });

  test('--json prints one document with the normalized Catalog in sorted id order', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const result = await runCli(['validate', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const doc = JSON.parse(result.stdout);
    expect(Object.keys(doc)).toEqual(['format_version', 'status', 'file', 'catalog', 'warnings']);
    expect(doc).toMatchObject({ format_version: 1, status: 'ok', file: 'autumn.config.ts', warnings: [] });
    expect(Object.keys(doc.catalog.features)).toEqual(['seats', 'summaries']);
    expect(Object.keys(doc.catalog.plans)).toEqual(['free', 'team']);
    expect(doc.catalog.plans.team.items[1]).toEqual({
      featureId: 'summaries', included: 50, unlimited: false, reset: { interval: 'month', intervalCount: 1 },
      price: null, entityFeatureId: 'seats', rollover: null, proration: null,
    });
  });

  test('every error is printed with a code frame, and the exit code is 1', async () => {
    const dir = tempProject({
      'autumn.config.ts': [
        "import { feature, item, plan } from 'atmn';",
        "export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered' });",
        "export const summaries = feature({ id: 'summaries', name: 'Summaries', type: 'metered', consumable: true });",
        'export const team = plan({',
        "  id: 'team',",
        "  name: 'Team',",
        '  items: [',
        '    item({ featureId: seats.id, included: 1 }),',
        "    item({ featureId: summaries.id, included: 50, reset: { interval: 'month' }, entityFeatureId: summaries.id }),",
        '  ],',
        '});',
        '',
      ].join('\n'),
    });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        "autumn.config.ts:2:21: error: features.seats.consumable: metered feature 'seats' must say whether it is consumable",
        "    2 │ export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered' });",
        '                             ~~~~~~~',
        '  hint: add consumable: true for usage that is used up and resets (API calls, messages), or consumable: false for an allocation that never resets (seats, storage)',
        "autumn.config.ts:9:80: error: plans.team.items[1].entityFeatureId: an item cannot be per-entity of its own feature 'summaries'",
        "    9 │     item({ featureId: summaries.id, included: 50, reset: { interval: 'month' }, entityFeatureId: summaries.id }),",
        '                                                                                        ~~~~~~~~~~~~~~~',
        '  hint: point entityFeatureId at the seat-like feature (e.g. seats), or remove it',
        '2 errors: autumn.config.ts is not a valid config',
        '',
      ].join('\n'),
    );
  });

  test('--json on an invalid config prints the error envelope with every issue', async () => {
    const dir = tempProject({ 'autumn.config.ts': "import { feature } from 'atmn';\nexport const a = feature({ id: 'a b', name: 'A', type: 'boolean' });\n" });
    const result = await runCli(['validate', '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.status).toBe('error');
    expect(doc.error.code).toBe('config_invalid');
    expect(doc.error.issues.map((i: { path: string; message: string }) => `${i.path}: ${i.message}`)).toEqual([
      "features.a.id: feature id 'a b' may contain only letters, digits, '_' and '-'",
    ]);
  });

  test('warnings go to stderr, marked "warning:", and never fail validation', async () => {
    const dir = tempProject({
      'autumn.config.ts': [
        "import { feature, item, plan } from 'atmn';",
        "export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });",
        "export const notes = feature({ id: 'notes', name: 'Notes', type: 'metered', consumable: true });",
        "export const p = plan({ id: 'p', name: 'P', items: [item({ featureId: notes.id, included: 5, reset: { interval: 'day' }, entityFeatureId: seats.id })] });",
        '',
      ].join('\n'),
    });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('✓ autumn.config.ts is valid: 2 features, 1 plan, 1 warning');
    expect(result.stdout).toContain('    notes: 5 / day per seat\n');
    expect(result.stderr.split('\n')[0]).toBe(
      "autumn.config.ts:4:121: warning: plans.p.items[0].entityFeatureId: plan 'p' grants 'notes' per 'seats', but no item of the plan grants 'seats'",
    );
    // In color, the label is yellow, apart from red errors.
    const colored = await runCli(['validate'], { cwd: dir, env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(colored.stderr).toContain('\u001b[33m\u001b[1mwarning\u001b[39m\u001b[22m');
  });

  test('warnings found alongside errors are printed before them', async () => {
    const dir = tempProject({
      'autumn.config.ts': [
        "import { feature, item, plan } from 'atmn';",
        "export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });",
        "export const p = plan({ id: 'p', name: 'P', items: [item({ featureId: 'seats', included: 2, reset: { interval: 'month' } }), item({ featureId: 'nope' })] });",
        '',
      ].join('\n'),
    });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    const heads = result.stderr.split('\n').filter((l) => /^autumn\.config\.ts:/.test(l) || /^\d+ errors?:/.test(l));
    expect(heads).toEqual([
      "autumn.config.ts:3:92: warning: plans.p.items[0].reset: 'seats' is not consumable, so it never resets; this reset is ignored",
      "autumn.config.ts:3:132: error: plans.p.items[1].featureId: feature 'nope' does not exist",
      '1 error: autumn.config.ts is not a valid config',
    ]);
  });

  test('a missing config exits 1 with the fix, and no stack trace', async () => {
    const dir = tempProject({});
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: no autumn.config.ts in the current folder\n  hint: create one with `atmn init`, or point at one with --config path/to/autumn.config.ts\n');
  });

  test('a throw inside the config points at the user line', async () => {
    const dir = tempProject({ 'autumn.config.ts': "const ids: string[] = [];\nexport const first = ids[0]!.toUpperCase();\n" });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        "autumn.config.ts:2:29: error: the config file threw while it was evaluated: TypeError: Cannot read properties of undefined (reading 'toUpperCase')",
        '    2 │ export const first = ids[0]!.toUpperCase();',
        '                                     ~',
        '  hint: the error was raised by code in autumn.config.ts; fix it there',
        '',
      ].join('\n'),
    );
  });

  test('--config naming a data file (JSON, text) is refused instead of "validating" as an empty config', async () => {
    const dir = tempProject({ 'pricing.json': '{"plans":[]}\n' });
    const result = await runCli(['validate', '--config', 'pricing.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: pricing.json is not a TypeScript or JavaScript file\n  hint: --config takes the config module itself (e.g. autumn.config.ts) or the folder that holds it\n',
    );
  });

  test('an import of a package the project lacks names the package and the install, not the temporary bundle', async () => {
    const dir = tempProject({ 'autumn.config.ts': "import pad from 'left-pad-not-installed';\nexport const x = pad;\n" });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: the config file threw while it was evaluated: Cannot find package 'left-pad-not-installed' imported from autumn.config.ts\n" +
        "  hint: install 'left-pad-not-installed' in the project that holds autumn.config.ts (npm install left-pad-not-installed), or remove the import\n",
    );
  });

  test('a top-level await that never settles fails with a message instead of a silent exit 13', async () => {
    const dir = tempProject({ 'autumn.config.ts': 'await new Promise(() => {});\nexport const never = 1;\n' });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: the config file never finished loading: a top-level await in it waits for something that never happens\n' +
        '  hint: remove that await from autumn.config.ts, or make sure what it awaits resolves\n',
    );
    expect(readdirSync(dir)).toEqual(['autumn.config.ts']);
  });
});
