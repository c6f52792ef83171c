// `npm run bench server`: throughput of `atmn dev` for check and for durable track,
// compared in the same run with a bare node:http server that answers a constant JSON body.
// Targets (issue 5): check ≥ 50% of the bare server's requests/s; durable track ≥ 5,000/s.
// Each server runs in its own process; this process only generates load.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import { pushCatalog, startDevServer } from '../server/support/dev-server.ts';

const CONNECTIONS = 64;
const REQUESTS = 30_000;
const WARMUP = 3_000;
const TIME_LIMIT_MS = 60_000;

interface LoadResult {
  requests: number;
  ms: number;
  rps: number;
  failures: number;
}

/** Fires `count` requests over CONNECTIONS keep-alive connections; stops early at TIME_LIMIT_MS. */
async function load(url: string, path: string, makeBody: (i: number) => string, headers: Record<string, string>, count: number): Promise<LoadResult> {
  const pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1 });
  let next = 0;
  let done = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count && performance.now() - started < TIME_LIMIT_MS) {
      const i = next++;
      const res = await pool.request({ path, method: 'POST', headers, body: makeBody(i) });
      await res.body.text();
      if (res.statusCode !== 200) failures++;
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const ms = performance.now() - started;
  await pool.close();
  return { requests: done, ms, rps: (done / ms) * 1000, failures };
}

function startBareServer(): Promise<{ url: string; child: ChildProcess }> {
  const script = `
    const http = require('node:http');
    const body = JSON.stringify({ allowed: true, customer_id: 'c', entity_id: null, required_balance: 1, balance: null, flag: null });
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 5000;
    server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const m = /PORT (\d+)/.exec(d);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, child });
    });
    child.on('error', reject);
  });
}

/** Peak resident memory of a process (Linux), in MiB; null elsewhere. */
function peakRssMiB(pid: number | undefined): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

const fmt = (r: LoadResult) => `${Math.round(r.rps).toLocaleString('en-US')} req/s (${r.requests} requests in ${Math.round(r.ms)} ms, ${r.failures} failures)`;

const bare = await startBareServer();
let dev: Awaited<ReturnType<typeof startDevServer>> | null = null;
try {
  // run.mjs runs benchmarks from the repository root.
  dev = await startDevServer({ lifetimeMs: 5 * 60_000, bin: join(process.cwd(), 'bin/atmn.js') });
  await pushCatalog(dev, {
    features: [{ feature_id: 'calls', name: 'Calls', type: 'metered', consumable: true }],
    plans: [{ plan_id: 'bulk', name: 'Bulk', auto_enable: true, licenses: [], items: [{ feature_id: 'calls', included: 1_000_000_000, reset: { interval: 'month' } }] }],
    rewards: [],
    referral_programs: [],
  });
  const CUSTOMERS = 16;
  for (let c = 0; c < CUSTOMERS; c++) await dev.post('/v1/customers.get_or_create', { customer_id: `c${c}` });

  const json = { 'content-type': 'application/json' };
  const auth = { ...json, authorization: `Bearer ${dev.key}` };
  const checkBody = (i: number) => JSON.stringify({ customer_id: `c${i % CUSTOMERS}`, feature_id: 'calls', required_balance: 1 });
  const trackBody = (i: number) => JSON.stringify({ customer_id: `c${i % CUSTOMERS}`, feature_id: 'calls', value: 1 });

  await load(bare.url, '/', checkBody, json, WARMUP);
  await load(dev.url, '/v1/balances.check', checkBody, auth, WARMUP);
  const bareResult = await load(bare.url, '/', checkBody, json, REQUESTS);
  const checkResult = await load(dev.url, '/v1/balances.check', checkBody, auth, REQUESTS);
  const trackResult = await load(dev.url, '/v1/balances.track', trackBody, auth, REQUESTS);

  const used = (await dev.post('/v1/balances.check', { customer_id: 'c0', feature_id: 'calls' })).body.balance.usage as number;
  const ratio = checkResult.rps / bareResult.rps;
  console.log(`connections ${CONNECTIONS}, ${REQUESTS} requests per run, node ${process.version}`);
  console.log(`bare node:http (constant JSON): ${fmt(bareResult)}`);
  console.log(`atmn dev check:                 ${fmt(checkResult)}`);
  console.log(`atmn dev durable track:         ${fmt(trackResult)}  (journal fsync'd before each reply, group commit)`);
  console.log(`check / bare ratio: ${(ratio * 100).toFixed(1)}%   target ≥ 50%   ${ratio >= 0.5 ? 'MET' : 'MISSED'}`);
  console.log(`durable track: ${Math.round(trackResult.rps)}/s   target ≥ 5,000/s   ${trackResult.rps >= 5000 ? 'MET' : 'MISSED'}`);
  console.log(`tracks of c0 in its balance: ${used} (expected ${Math.ceil(trackResult.requests / CUSTOMERS)})`);
  console.log(`peak RSS: atmn dev ${peakRssMiB(dev.child.pid) ?? '?'} MiB, bare ${peakRssMiB(bare.child.pid) ?? '?'} MiB`);
} finally {
  await dev?.stop();
  bare.child.kill('SIGTERM');
}
