import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../../support/cli.ts';

/**
 * Runs the BUILT `atmn dev` (npm run build first) as a subprocess on a free 127.0.0.1 port,
 * as a user would, and talks to it over real HTTP. Every server started here stops by
 * itself: `stop()` in the test, and a hard kill after `lifetimeMs` if a test forgets.
 */

export interface HttpResult<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  key?: string | null;
  headers?: Record<string, string>;
  /** Send this exact text as the body instead of JSON. */
  raw?: string;
}

export interface DevServerProcess {
  url: string;
  key: string;
  dataDir: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  request<T = any>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<HttpResult<T>>;
  post<T = any>(path: string, body?: unknown, options?: RequestOptions): Promise<HttpResult<T>>;
  /** SIGTERM (or SIGINT); resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** kill -9: no chance to flush anything. */
  crash(): Promise<void>;
}

export interface StartOptions {
  /** null: no --data, so the server uses `.atmn/` beside the config in `cwd`. */
  dataDir?: string | null;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  lifetimeMs?: number;
  /** bin/atmn.js; benchmarks are bundled elsewhere and pass the repo's own. */
  bin?: string;
}

function tempDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'atmn-dev-')), '.atmn');
}

export async function startDevServer(options: StartOptions = {}): Promise<DevServerProcess> {
  const cwd = options.cwd ?? process.cwd();
  const dataDir = options.dataDir === null ? join(cwd, '.atmn') : (options.dataDir ?? tempDataDir());
  const dataArgs = options.dataDir === null ? [] : ['--data', dataDir];
  const args = [options.bin ?? BIN, 'dev', '--port', '0', ...dataArgs, ...(options.args ?? [])];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', ...options.env })) if (v !== undefined) env[k] = v;
  delete env.AUTUMN_SECRET_KEY;
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const guard = setTimeout(() => child.kill('SIGKILL'), options.lifetimeMs ?? 120_000);
  guard.unref();
  exited.then(() => clearTimeout(guard));

  const started = Date.now();
  while (!/key\s+am_sk_test_\S+/.test(out)) {
    if (child.exitCode !== null) throw new Error(`atmn dev exited with ${child.exitCode}:\n${out}\n${err}`);
    if (Date.now() - started > 15_000) {
      child.kill('SIGKILL');
      throw new Error(`atmn dev did not start within 15 s:\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const url = /API at (http:\/\/\S+)/.exec(out)![1]!;
  const key = /key\s+(am_sk_test_\S+)/.exec(out)![1]!;

  const request = <T>(method: string, path: string, body?: unknown, o: RequestOptions = {}): Promise<HttpResult<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
    const k = o.key === undefined ? key : o.key;
    if (k !== null) headers.authorization = `Bearer ${k}`;
    const payload = o.raw !== undefined ? o.raw : body !== undefined ? JSON.stringify(body) : '';
    headers['content-length'] = String(Buffer.byteLength(payload));
    // node:http, not fetch: the docs send GET and DELETE with JSON bodies (wire.md §1.4).
    return new Promise((resolve, reject) => {
      const req = httpRequest(url + path, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => {
          let parsed: unknown = undefined;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const h = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') h.set(name, value);
          resolve({ status: res.statusCode ?? 0, body: parsed as T, text, headers: h });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  };

  return {
    url,
    key,
    dataDir,
    child,
    stdout: () => out,
    stderr: () => err,
    request,
    post: (path, body, o) => request('POST', path, body, o),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    crash: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The docs' team example and a few more: features and plans as atmn pushes them (wire.md §4.1). */
export const TEAM_CATALOG = {
  features: [
    { feature_id: 'seats', name: 'Seats', type: 'metered', consumable: false },
    { feature_id: 'summaries', name: 'Summaries', type: 'metered', consumable: true, event_names: ['summary_generated'] },
    { feature_id: 'messages', name: 'Messages', type: 'metered', consumable: true },
    { feature_id: 'sso', name: 'SSO', type: 'boolean' },
  ],
  plans: [
    {
      plan_id: 'free', name: 'Free', group: '', add_on: false, auto_enable: true, price: null, free_trial: null, licenses: [],
      items: [{ feature_id: 'messages', included: 100, reset: { interval: 'month' } }],
    },
    {
      plan_id: 'team', name: 'Team', group: 'main', add_on: false, auto_enable: false, licenses: [], free_trial: null,
      price: { amount: 30, interval: 'month' },
      items: [
        { feature_id: 'seats', included: 1, price: { interval: 'month', billing_units: 1, billing_method: 'usage_based', amount: 30 } },
        { feature_id: 'summaries', entity_feature_id: 'seats', included: 50, reset: { interval: 'month' } },
        { feature_id: 'sso' },
      ],
    },
  ],
  rewards: [],
  referral_programs: [],
  skip_deletions: false,
  skip_feature_ids: [],
  skip_plan_ids: [],
};

/** Loads TEAM_CATALOG (or another) through catalog.update, as atmn push does. */
export async function pushCatalog(server: DevServerProcess, catalog: object = TEAM_CATALOG): Promise<void> {
  const res = await server.post('/v1/catalog.update', catalog);
  if (res.status !== 200) throw new Error(`catalog.update failed: ${res.status} ${res.text}`);
}
