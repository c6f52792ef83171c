// Cold start (issue #2 acceptance): `atmn --version` as a user runs it, a fresh node process
// each time, against bare node and the official CLI (npm:atmn@1.1.25 as atmn-upstream).
// Target: < 120 ms median wall on the 2-core CI machines. Prints numbers only.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from './cli-timing.ts';

const root = process.cwd();
const runs = 15;
console.log(`node ${process.version}, ${runs} runs each`);
const bare = measure('node -e 0 (baseline)', ['-e', '0'], root, runs);
const ours = measure('atmn --version', ['bin/atmn.js', '--version'], root, runs, 120);
const help = measure('atmn --help (loads commander)', ['bin/atmn.js', '--help'], root, runs);
const upstream = join(root, 'node_modules/atmn-upstream/dist/cli.js');
if (existsSync(upstream)) {
  const official = measure('official atmn 1.1.25 --version', [upstream, '--version'], root, 5);
  console.log(`atmn --version is ${(official / ours).toFixed(1)}x faster than the official CLI; ${(ours - bare).toFixed(0)} ms above bare node; --help ${(help - bare).toFixed(0)} ms above`);
}
