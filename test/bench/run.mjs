// `npm run bench`: bundles each test/bench/*.bench.ts with esbuild and runs it in its own
// Node process (so peak memory is per benchmark). Benchmarks print their own numbers and
// targets; nothing here asserts timings.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const benchDir = new URL('.', import.meta.url).pathname;
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
// Inside node_modules so the bundles resolve their external packages.
const out = join(benchDir, '../../node_modules/.cache/atmn-bench');
mkdirSync(out, { recursive: true });
let failed = 0;
try {
  for (const file of files) {
    const outfile = join(out, file.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: [join(benchDir, file)], outfile, bundle: true, format: 'esm', platform: 'node',
      target: 'node20', packages: 'external', logLevel: 'warning',
      define: { __ATMN_VERSION__: '"bench"' },
    });
    console.log(`\n== ${file}`);
    const res = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: join(benchDir, '../..') });
    if (res.status !== 0) failed++;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
