import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli, tempProject } from '../support/cli.ts';

/**
 * diff / push / pull against the real `atmn dev` (issue #4 acceptance: "afterwards the dev
 * server"), sharing `.atmn/` with the embedded sandbox: the CLI finds the dev server's key in
 * .atmn/keys.json, the embedded target is locked out while it runs, and customers created
 * through the API become holders that push decisions respect.
 */

const EXAMPLE = readFileSync(join(REPO_ROOT, 'autumn.config.example.ts'), 'utf8');
const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
});

/** Starts `atmn dev --port 0` in `dir`; resolves once dev.lock names its port. Stops by itself after 60 s. */
async function startDev(dir: string): Promise<{ url: string; key: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1' })) if (v !== undefined) env[k] = v;
  for (const k of ['AUTUMN_SECRET_KEY', 'AUTUMN_PROD_SECRET_KEY', 'ATMN_BACKEND_URL', 'CI']) delete env[k];
  const child = spawn(process.execPath, [BIN, 'dev', '--port', '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.once('exit', () => clearTimeout(guard));
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const lock = join(dir, '.atmn/dev.lock');
  for (let waited = 0; waited < 15_000; waited += 50) {
    if (child.exitCode !== null) throw new Error(`atmn dev exited early:\n${output}`);
    if (existsSync(lock)) {
      const { port } = JSON.parse(readFileSync(lock, 'utf8')) as { port: number };
      if (port > 0) {
        const keys = JSON.parse(readFileSync(join(dir, '.atmn/keys.json'), 'utf8')) as { sandbox: string };
        return { url: `http://127.0.0.1:${port}`, key: keys.sandbox };
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`atmn dev did not start:\n${output}`);
}

function post(url: string, key: string, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('sync against atmn dev', () => {
  it('push, diff and pull through the dev server; its customers decide archive vs delete', async () => {
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const { url, key } = await startDev(dir);

    const push = await runCli(['push', '--yes', '--url', url], { cwd: dir });
    expect(push.stderr).toMatch(new RegExp(`^Target: ${url.replace(/\./g, '\\.')} \\(from --url\\) with the dev server key from \\.atmn/keys\\.json \\(am_sk_test_…\\S{4}\\)\\n$`));
    expect(push.code).toBe(0);
    expect(push.stdout + push.stderr).not.toContain(key);
    expect((await runCli(['diff', '--url', url], { cwd: dir })).code).toBe(0);

    // The embedded sandbox is locked while the server runs.
    const locked = await runCli(['diff'], { cwd: dir });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`hint: Add --url ${url} to go through the dev server.`);

    // A customer on the free plan (auto-enabled) makes it a held plan.
    expect(await post(url, key, '/v1/customers.get_or_create', { customer_id: 'cus_1' })).toBe(200);
    const withoutFree = EXAMPLE.replace(/\/\/ New customers start here[\s\S]*?\n\}\);\n/, '');
    const dir2 = tempProject({ 'autumn.config.ts': withoutFree });
    // Another folder has no .atmn/keys.json beside its config: the key comes from the environment (wire.md §1.2).
    const removal = await runCli(['push', '--yes', '--allow-delete', '--url', url], { cwd: dir2, env: { AUTUMN_SECRET_KEY: key } });
    expect(removal.stdout).toContain('  - plan free (archive');
    expect(removal.code).toBe(0);

    // Pull back into the folder: the archived plan comes back as archived.
    rmSync(join(dir, 'autumn.config.ts'));
    const pull = await runCli(['pull', '--url', url], { cwd: dir });
    expect(pull.code, pull.stderr).toBe(0);
    expect(readFileSync(join(dir, 'autumn.config.ts'), 'utf8')).toContain('archived: true');
    expect((await runCli(['diff', '--url', url], { cwd: dir })).code).toBe(0);
  });
});
