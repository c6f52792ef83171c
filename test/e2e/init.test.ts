import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { initCommand } from '../../src/cli/commands/init.ts';
import { createContext } from '../../src/cli/context.ts';
import { REPO_ROOT, runCli, tempProject } from '../support/cli.ts';

/** `atmn init` (issue #2, item 6): every template scaffolds a config that `atmn validate` accepts. */
const templates = readdirSync(join(REPO_ROOT, 'templates'))
  .filter((f) => f.endsWith('.config.ts'))
  .map((f) => f.slice(0, -'.config.ts'.length))
  .sort();

test('the required starters exist', () => {
  expect(templates).toEqual(expect.arrayContaining(['team', 'chat', 'infra', 'issue-tracker', 'ai-credits']));
});

test('autumn.config.example.ts (the README quick start) is the team template under its own header', () => {
  // Both are read by people, so both stay whole files; this keeps them from drifting apart.
  const body = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8').split('\n').filter((line, i) => !(i < 2 && line.startsWith('//'))).join('\n');
  expect(body('autumn.config.example.ts')).toBe(body('templates/team.config.ts'));
});

describe.concurrent('init --template NAME --yes in an empty folder, then validate', () => {
  test.each(templates)('%s', async (name) => {
    const dir = tempProject({});
    const init = await runCli(['init', '--template', name, '--yes'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'templates', `${name}.config.ts`), 'utf8'));
    const scenario = join(REPO_ROOT, 'templates', `${name}.scenario.json`);
    expect(existsSync(join(dir, `${name}.scenario.json`))).toBe(existsSync(scenario));
    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.stdout.split('\n')[0]).toMatch(/^✓ autumn\.config\.ts is valid: \d+ features, \d+ plans$/);
  });
});

describe('atmn init', () => {
  test('without a TTY it never prompts and uses the team template', async () => {
    const dir = tempProject({});
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'templates/team.config.ts'), 'utf8'));
    expect(result.stdout.split('\n')[0]).toMatch(/^Created autumn\.config\.ts( and team\.scenario\.json)? from the team template\.$/);
  });

  test('never overwrites an existing config without --force', async () => {
    const dir = tempProject({ 'autumn.config.ts': '// mine\n' });
    const refused = await runCli(['init', '--yes'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: autumn.config.ts already exists in this folder\n  hint: pass --force to overwrite it, or run atmn init in an empty folder\n');
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toBe('// mine\n');
    const forced = await runCli(['init', '--yes', '--force', '--template', 'chat'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'templates/chat.config.ts'), 'utf8'));
  });

  test('an unknown template exits 1 with a suggestion and writes nothing', async () => {
    const dir = tempProject({});
    const result = await runCli(['init', '--template', 'chta'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: unknown template 'chta'\n  hint: did you mean 'chat'? the templates are: ${templates.join(', ')}\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('--list prints every template with its description; --json is one document', async () => {
    const list = await runCli(['init', '--list'], { cwd: REPO_ROOT });
    expect(list.code).toBe(0);
    expect(list.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(templates);
    expect(list.stdout).toContain('team           Seat-based team plan');
    const dir = tempProject({});
    const json = await runCli(['init', '--yes', '--json', '--template', 'infra'], { cwd: dir });
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({ format_version: 1, status: 'ok', template: 'infra', skipped: [] });
    expect(doc.written[0]).toBe('autumn.config.ts');
  });

  test('in a TTY it asks for a template by number', async () => {
    const dir = tempProject({});
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    let shown = '';
    stderr.on('data', (d: Buffer) => (shown += d.toString()));
    const ctx = createContext({ stdin, stdout, stderr, env: {}, cwd: dir }, {}, 'test');
    expect(ctx.interactive).toBe(true);
    const chat = templates.indexOf('chat') + 1;
    stderr.on('data', (d: Buffer) => {
      if (d.toString().startsWith('Pick')) stdin.write(`${chat}\n`);
    });
    const code = await initCommand({}, ctx, []);
    expect(code).toBe(0);
    expect(shown).toContain(`  ${chat}) chat`);
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'templates/chat.config.ts'), 'utf8'));
  });

  test.each([['Ctrl-C', '\u0003'], ['Ctrl-D', '\u0004']])('%s at the prompt cancels with a message and writes nothing', async (_name, key) => {
    const dir = tempProject({});
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const ctx = createContext({ stdin, stdout: new PassThrough(), stderr, env: {}, cwd: dir }, {}, 'test');
    stderr.on('data', (d: Buffer) => {
      if (d.toString().startsWith('Pick')) stdin.write(key);
    });
    const outcome = await initCommand({}, ctx, []).then(
      () => null,
      (error: unknown) => error,
    );
    expect(outcome).toMatchObject({
      code: 'usage',
      message: 'no template chosen: init was cancelled and wrote nothing',
      hint: 'run atmn init again, or pick without a prompt: atmn init --template team --yes',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('an existing scenario file is kept without --force', async () => {
    const dir = tempProject({});
    writeFileSync(join(dir, 'team.scenario.json'), '{"mine":true}\n');
    const result = await runCli(['init', '--yes'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'team.scenario.json'), 'utf8')).toBe('{"mine":true}\n');
  });

  test('a folder named autumn.config.ts is never replaced, even with --force; a folder in the scenario\'s place is skipped', async () => {
    const dir = tempProject({});
    mkdirSync(join(dir, 'autumn.config.ts'));
    const refused = await runCli(['init', '--yes', '--force'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: autumn.config.ts in this folder is a folder, not a file\n' +
        '  hint: move or rename that folder (even --force does not replace a folder), then run atmn init again\n',
    );
    const other = tempProject({});
    mkdirSync(join(other, 'team.scenario.json'));
    const partial = await runCli(['init', '--yes', '--force'], { cwd: other });
    expect(partial.code).toBe(0);
    expect(partial.stdout).toBe('Created autumn.config.ts from the team template.\nNext: atmn validate\n');
    expect(partial.stderr).toBe('warning: team.scenario.json is a folder; left it alone and wrote no scenario\n');
  });
});
