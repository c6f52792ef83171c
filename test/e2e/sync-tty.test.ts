import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, tempProject } from '../support/cli.ts';
import { startWireServer, type WireServer } from '../support/wire-server.ts';

/**
 * push in a terminal (issue #4): it asks once, a "no" writes nothing, progress shows on
 * long pushes, and production is named as such. The CLI runs in a real pseudo-terminal
 * (python3's pty module), so stdin and stderr are TTYs as for a user.
 */

const EXAMPLE = readFileSync(join(REPO_ROOT, 'autumn.config.example.ts'), 'utf8');
const servers: WireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function runInTerminal(args: string[], cwd: string, env: Record<string, string>, input: string): Promise<{ code: number; output: string }> {
  const script = 'import os, pty, sys\nsys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))';
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...env })) if (v !== undefined) childEnv[k] = v;
  for (const k of ['CI', 'AUTUMN_SECRET_KEY', 'AUTUMN_PROD_SECRET_KEY', 'ATMN_BACKEND_URL']) if (!(k in env)) delete childEnv[k];
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, process.execPath, BIN, ...args], { cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output: output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r\n/g, '\n') });
    });
    // Answer once the question is on screen, as a person would.
    const answer = setInterval(() => {
      if (output.includes('[y/N]')) {
        clearInterval(answer);
        child.stdin.write(input);
      }
    }, 20);
    child.on('close', () => clearInterval(answer));
  });
}

describe('push in a terminal', () => {
  it('asks once; "n" writes nothing, "y" applies with progress', async () => {
    const s = await startWireServer();
    servers.push(s);
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const env = { ATMN_BACKEND_URL: s.url, AUTUMN_SECRET_KEY: s.key };

    const no = await runInTerminal(['push'], dir, env, 'n\n');
    expect(no.code).toBe(1);
    expect(no.output).toContain(`Apply these changes to ${s.url}? [y/N] n\n`);
    expect(no.output).toContain('error: Push cancelled; nothing was written.');
    expect(s.writeCount()).toBe(0);

    const yes = await runInTerminal(['push'], dir, env, 'y\n');
    expect(yes.code).toBe(0);
    expect(yes.output.match(/\[y\/N\]/g)).toHaveLength(1);
    expect(yes.output).toContain('[4/4] ');
    expect(yes.output).toContain(`Applied 4 changes to ${s.url}.`);
    expect(s.writeCount()).toBe(4);
  });

  it('names production in the question when a live key is used', async () => {
    const s = await startWireServer({ key: 'am_sk_live_terminaltest0000wxyz' });
    servers.push(s);
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const result = await runInTerminal(['push', '--prod'], dir, { ATMN_BACKEND_URL: s.url, AUTUMN_PROD_SECRET_KEY: s.key }, 'y\n');
    expect(result.output).toContain(`Target: ${s.url} (from ATMN_BACKEND_URL, live environment) with AUTUMN_PROD_SECRET_KEY from the environment (am_sk_live_…wxyz)`);
    expect(result.output).toContain(`Apply these changes to PRODUCTION (${s.url})? [y/N] y`);
    expect(result.code).toBe(0);
    expect(result.output).not.toContain(s.key);
  });

  it('never prompts with --json, even in a terminal', async () => {
    const s = await startWireServer();
    servers.push(s);
    const dir = tempProject({ 'autumn.config.ts': EXAMPLE });
    const result = await runInTerminal(['push', '--json'], dir, { ATMN_BACKEND_URL: s.url, AUTUMN_SECRET_KEY: s.key }, '');
    expect(result.code).toBe(1);
    expect(result.output).not.toContain('[y/N]');
    expect(result.output).toContain('"code": "usage"');
    expect(s.writeCount()).toBe(0);
  });
});
