import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempProject } from '../support/cli.ts';

/**
 * The embedded local sandbox (issue #4 item 1): no key and no URL, state in `.atmn/` beside
 * the config, so push works on a fresh machine with no account.
 */

const EXAMPLE = readFileSync(join(REPO_ROOT, 'autumn.config.example.ts'), 'utf8');
const TARGET_LINE = 'Target: local sandbox in .atmn/ (no key or URL given)\n';

const stored = (dir: string) => JSON.parse(readFileSync(join(dir, '.atmn/sandbox/catalog.json'), 'utf8')) as {
  format_version: number;
  catalog: { features: Record<string, unknown>; plans: Record<string, { archived: boolean; items: { included: number }[] }> };
  plan_versions: Record<string, unknown[]>;
};

describe('embedded local sandbox', () => {
  it('push works with no key: state in .atmn/, gitignored; then diff exits 0 and pull round-trips', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE, '.gitignore': 'node_modules\n' });
    const push = await runCli(['push', '--yes'], { cwd: dir });
    expect(push.stderr).toBe(TARGET_LINE);
    expect(push.code).toBe(0);
    expect(push.stdout.trimEnd().split('\n').at(-1)).toBe('Applied 4 changes to local sandbox.');
    expect(stored(dir).format_version).toBe(1);
    expect(Object.keys(stored(dir).catalog.plans).sort()).toEqual(['free', 'team']);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n# atmn local sandbox state\n.atmn/\n');

    expect(await runCli(['diff'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'No changes. Remote is in sync with autumn.config.ts.\n', stderr: TARGET_LINE });
    expect((await runCli(['push', '--yes'], { cwd: dir })).code).toBe(0);

    rmSync(join(dir, 'autumn.config.ts'));
    const pull = await runCli(['pull'], { cwd: dir });
    expect(pull).toMatchObject({ code: 0, stdout: 'Wrote autumn.config.ts with 2 features and 2 plans from local sandbox.\n' });
    expect((await runCli(['diff'], { cwd: dir })).code).toBe(0);
  });

  it('keeps the state beside the config given with --config, not in the working directory', async () => {
    const dir = tempProject({ 'app/autumn.config.ts': EXAMPLE });
    const push = await runCli(['push', '--yes', '--config', 'app'], { cwd: dir });
    expect(push.code).toBe(0);
    expect(push.stderr).toBe('Target: local sandbox in app/.atmn/ (no key or URL given)\n');
    expect(existsSync(join(dir, 'app/.atmn/sandbox/catalog.json'))).toBe(true);
    expect(existsSync(join(dir, '.atmn'))).toBe(false);
    expect((await runCli(['diff', '-c', 'app/autumn.config.ts'], { cwd: dir })).code).toBe(0);
  });

  it('decisions work the same: removal needs --allow-delete, held plans archive, versioning needs a choice', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    expect((await runCli(['push', '--yes'], { cwd: dir })).code).toBe(0);
    // What `atmn dev` writes when customers hold plans.
    writeFileSync(join(dir, '.atmn/sandbox/holders.json'), JSON.stringify({ format_version: 1, plans: { team: 2, free: 1 }, features: {} }));

    writeFileSync(join(dir, 'autumn.config.ts'), EXAMPLE.replace('included: 50,', 'included: 75,'));
    const needsVersioning = await runCli(['push', '--yes'], { cwd: dir });
    expect(needsVersioning.code).toBe(3);
    expect(needsVersioning.stderr).toContain('? plan team has 2 customers and its items change: add --versioning new|current|all');
    expect(stored(dir).catalog.plans.team!.items[1]!.included).toBe(50);
    expect((await runCli(['push', '--yes', '--versioning', 'new'], { cwd: dir })).code).toBe(0);
    expect(stored(dir).catalog.plans.team!.items[1]!.included).toBe(75);
    expect(stored(dir).plan_versions.team).toHaveLength(1);

    const withoutFree = EXAMPLE.replace('included: 50,', 'included: 75,').replace(/\/\/ New customers start here[\s\S]*?\n\}\);\n/, '');
    writeFileSync(join(dir, 'autumn.config.ts'), withoutFree);
    const refused = await runCli(['push', '--yes'], { cwd: dir });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('? plan free is not in the config and would be archived (1 customer): add --allow-delete');
    expect(stored(dir).catalog.plans.free!.archived).toBe(false);
    expect((await runCli(['push', '--yes', '--allow-delete'], { cwd: dir })).code).toBe(0);
    expect(stored(dir).catalog.plans.free!.archived).toBe(true);
    expect((await runCli(['diff'], { cwd: dir })).code).toBe(0);
  });

  it('refuses while atmn dev holds the state, with a hint to add --local', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    mkdirSync(join(dir, '.atmn'));
    // The test runner is a live process: the lock counts as held.
    writeFileSync(join(dir, '.atmn/dev.lock'), JSON.stringify({ pid: process.pid, port: 8080 }));
    const push = await runCli(['push', '--yes'], { cwd: dir });
    expect(push.code).toBe(1);
    expect(push.stderr).toBe(`${TARGET_LINE}error: atmn dev (pid ${process.pid}) is serving .atmn/ on port 8080, so the local sandbox cannot be used directly.\n  hint: Add --local to go through the dev server.\n`);
    expect(existsSync(join(dir, '.atmn/sandbox'))).toBe(false);
    const env = await runCli(['env'], { cwd: dir });
    expect(env.stdout).toContain(`Dev server:   running (pid ${process.pid}); add --local to use it`);
    // A lock left by a dead process is ignored.
    writeFileSync(join(dir, '.atmn/dev.lock'), JSON.stringify({ pid: 999_999_999 }));
    expect((await runCli(['push', '--yes'], { cwd: dir })).code).toBe(0);
  });

  it('a hand-broken state file is an error with a way out, not a crash', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE, '.atmn/sandbox/catalog.json': '{"format_version": 1, "catalog": ' });
    const diff = await runCli(['diff'], { cwd: dir });
    expect(diff.code).toBe(1);
    expect(diff.stderr).toContain('error: The local state ');
    expect(diff.stderr).toContain('.atmn/sandbox/catalog.json cannot be read: it is not valid JSON.\n  hint: atmn writes this file atomically');
  });

  it('--prod without a live key fails instead of using the sandbox', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const push = await runCli(['push', '--yes', '--prod'], { cwd: dir });
    expect(push.code).toBe(1);
    expect(push.stderr).toBe('error: --prod needs AUTUMN_PROD_SECRET_KEY, which is not set (looked in the environment, .env.local and .env).\n  hint: The local sandbox has no production; drop --prod to use it, or set the live key.\n');
    expect(existsSync(join(dir, '.atmn'))).toBe(false);
  });

  it('never loads the HTTP client: only HTTP targets import node:http', async () => {
    const hooks = tempProject({
      'hooks.mjs': "export async function resolve(spec, ctx, next) { if (/^(node:)?https?$/.test(spec)) throw new Error(`${spec} was imported`); return next(spec, ctx); }\n",
      'register.mjs': "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
    });
    const env = { NODE_OPTIONS: `--import=${join(hooks, 'register.mjs')}` };
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    expect((await runCli(['push', '--yes'], { cwd: dir, env })).code).toBe(0);
    expect((await runCli(['diff'], { cwd: dir, env })).code).toBe(0);
    // The guard works: an HTTP target trips it.
    const http = await runCli(['diff', '--url', 'http://127.0.0.1:9'], { cwd: dir, env });
    expect(http.code).toBe(1);
    expect(http.stderr).toContain('node:http was imported');
  });

  it('pull from a sandbox nothing was pushed to writes nothing and says how to get a config', async () => {
    const dir = tempProject();
    const pull = await runCli(['pull'], { cwd: dir });
    expect(pull).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `${TARGET_LINE}error: local sandbox has no features or plans; there is nothing to pull into autumn.config.ts.\n  hint: Nothing was pushed to the local sandbox yet. To pull from your Autumn account, set AUTUMN_SECRET_KEY (environment, .env.local or .env); to start a config, run \`atmn init\`. --force writes an empty config anyway.\n`,
    });
    expect(existsSync(join(dir, 'autumn.config.ts'))).toBe(false);
    expect((await runCli(['pull', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toBe("import { feature, item, plan } from 'atmn';\n");
  });

  it('ids named like Object.prototype members push, diff, remove and pull like any other', async () => {
    const config = `import { feature, item, plan } from 'atmn';
export const seats = feature({ id: 'seats', name: 'Seats', type: 'boolean' });
export const str = feature({ id: 'toString', name: 'T', type: 'boolean' });
export const ctor = plan({ id: 'constructor', name: 'C', items: [item({ featureId: seats.id }), item({ featureId: str.id })] });
`;
    const dir = tempProject({ 'autumn.config.ts': config });
    expect((await runCli(['push', '--yes'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['diff'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'autumn.config.ts'), config.split('\n').slice(0, 2).join('\n') + '\n');
    const diff = await runCli(['diff'], { cwd: dir });
    expect(diff).toMatchObject({ code: 2, stdout: expect.stringContaining('  - feature toString (delete)\n  - plan constructor (delete)\n') });
    expect((await runCli(['push', '--yes', '--allow-delete'], { cwd: dir })).code).toBe(0);
    expect(Object.keys(stored(dir).catalog.plans)).toEqual([]);

    writeFileSync(join(dir, 'autumn.config.ts'), config);
    expect((await runCli(['push', '--yes'], { cwd: dir })).code).toBe(0);
    rmSync(join(dir, 'autumn.config.ts'));
    expect((await runCli(['pull'], { cwd: dir })).stdout).toBe('Wrote autumn.config.ts with 2 features and 1 plan from local sandbox.\n');
    expect((await runCli(['diff'], { cwd: dir })).code).toBe(0);
  });

  it('env reports an unreadable state instead of failing', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE, '.atmn/sandbox/catalog.json': '{"format_version": 1' });
    const env = await runCli(['env'], { cwd: dir });
    expect(env.code).toBe(0);
    expect(env.stdout).toContain('State:        .atmn/sandbox/catalog.json (unreadable)\n');
    expect(env.stderr).toContain('.atmn/sandbox/catalog.json cannot be read: it is not valid JSON. atmn writes this file atomically, so it was edited by hand or by another tool. Delete it to start over, then run `atmn push` again.\n');
    expect(JSON.parse((await runCli(['env', '--json'], { cwd: dir })).stdout)).toMatchObject({
      local_sandbox: { exists: true, problem: expect.stringContaining('it is not valid JSON') },
    });
  });

  it('env describes the local sandbox', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const before = await runCli(['env'], { cwd: dir });
    expect(before).toMatchObject({
      code: 0,
      stdout: [
        'Target:       local sandbox in .atmn/',
        'Chosen by:    no key or URL',
        'Organization: none (the local sandbox needs no account)',
        'Environment:  sandbox',
        'Key:          none needed',
        'State:        .atmn/sandbox/catalog.json (nothing pushed yet)',
        '',
      ].join('\n'),
    });
  });
});
