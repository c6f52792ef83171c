import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Wall time (ms) and peak RSS (MB) of one run of a command, measured around a child process. */
export interface RunSample {
  ms: number;
  rssMb: number | null;
  status: number | null;
}

const GNU_TIME = '/usr/bin/time';

/** Runs `node args…` and measures it; peak RSS comes from GNU time when it is installed. */
export function sample(args: string[], cwd: string): RunSample {
  const withTime = existsSync(GNU_TIME);
  const command = withTime ? GNU_TIME : process.execPath;
  const argv = withTime ? ['-f', '__rss_kb=%M', process.execPath, ...args] : args;
  const start = process.hrtime.bigint();
  const result = spawnSync(command, argv, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rss = /__rss_kb=(\d+)/.exec(result.stderr ?? '');
  return { ms, rssMb: rss ? Number(rss[1]) / 1024 : null, status: result.status };
}

export function measure(label: string, args: string[], cwd: string, runs: number, targetMs?: number): number {
  sample(args, cwd); // warm the file system cache
  const samples = Array.from({ length: runs }, () => sample(args, cwd));
  const failed = samples.find((s) => s.status !== 0);
  if (failed) throw new Error(`${label}: exit ${failed.status}`);
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)] as number;
  const rss = Math.max(...samples.map((s) => s.rssMb ?? 0));
  const target = targetMs === undefined ? '' : `  target < ${targetMs} ms: ${median < targetMs ? 'met' : 'MISSED'}`;
  console.log(
    `${label.padEnd(44)} median ${median.toFixed(0).padStart(5)} ms  min ${ms[0]!.toFixed(0).padStart(5)} ms  max ${ms[ms.length - 1]!.toFixed(0).padStart(5)} ms` +
      `  peak RSS ${rss ? rss.toFixed(0) + ' MB' : 'n/a'}  (${runs} runs)${target}`,
  );
  return median;
}
