// `npm run bench push`: `atmn push --yes` of autumn.config.example.ts when already in sync
// against a local wire server (issue #4): load + read remote + diff, in the built CLI as a
// subprocess. Prints the median wall time and the peak RSS of the CLI process.
// Target: under 0.3 s wall. Reference (issue #4): the official CLI takes 0.79 s and 233 MB
// for the same against a trivial local server.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWireServer } from '../support/wire-server.ts';

const ROOT = process.cwd(); // run.mjs runs benchmarks from the repository root
const BIN = join(ROOT, 'bin/atmn.js');
const RUNS = 21;
const TARGET_MS = 300;

interface Sample {
  ms: number;
  rssMb: number;
  code: number;
}

const work = mkdtempSync(join(tmpdir(), 'atmn-bench-push-'));
// Each CLI process reports its own peak RSS (getrusage maxrss) on exit.
const rssFile = join(work, 'rss');
const hook = join(work, 'rss-hook.mjs');
writeFileSync(hook, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);

async function runOnce(args: string[], env: Record<string, string>, measureRss: boolean): Promise<Sample> {
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', ...env };
  delete childEnv.CI;
  if (measureRss) childEnv.NODE_OPTIONS = `--import=${hook}`;
  const start = performance.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: project, env: childEnv, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? -1));
  });
  const ms = performance.now() - start;
  const rssMb = measureRss ? Number(readFileSync(rssFile, 'utf8')) / 1024 : 0;
  return { ms, rssMb, code };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function series(label: string, args: string[], env: Record<string, string>): Promise<{ ms: number; rssMb: number }> {
  await runOnce(args, env, false); // warm the file cache
  const timed: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const sample = await runOnce(args, env, false);
    if (sample.code !== 0) throw new Error(`${label}: exit ${sample.code}`);
    timed.push(sample.ms);
  }
  // RSS in separate runs, so the hook's tiny import never counts in the timings.
  const rss: number[] = [];
  for (let i = 0; i < 5; i++) rss.push((await runOnce(args, env, true)).rssMb);
  const result = { ms: median(timed), rssMb: Math.max(...rss) };
  console.log(`${label.padEnd(44)} median ${result.ms.toFixed(0).padStart(4)} ms   min ${Math.min(...timed).toFixed(0).padStart(4)} ms   peak RSS ${result.rssMb.toFixed(1)} MB`);
  return result;
}

const project = mkdtempSync(join(tmpdir(), 'atmn-bench-project-'));
copyFileSync(join(ROOT, 'autumn.config.example.ts'), join(project, 'autumn.config.ts'));
const server = await startWireServer();
const env = { ATMN_BACKEND_URL: server.url, AUTUMN_SECRET_KEY: server.key };
try {
  const first = await runOnce(['push', '--yes'], env, false);
  if (first.code !== 0) throw new Error(`initial push failed with exit ${first.code}`);
  console.log(`push of autumn.config.example.ts, already in sync, ${RUNS} runs (node ${process.version})`);
  await series('baseline: atmn --version', ['--version'], env);
  await series('baseline: atmn validate', ['validate'], env);
  const push = await series('atmn push --yes (in sync, HTTP 127.0.0.1)', ['push', '--yes'], env);
  await series('atmn push --yes (in sync, local sandbox)', ['push', '--yes'], {});
  const verdict = push.ms < TARGET_MS ? 'meets' : 'MISSES';
  console.log(`target: < ${TARGET_MS} ms wall → ${verdict} (${push.ms.toFixed(0)} ms); official CLI: 790 ms, 233 MB`);
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
}
