// Bundles the CLI and the DSL into dist/ (issue #2). Dependencies stay external so that
// commander's CommonJS requires keep working and start-up imports only what a command needs.
// Alongside, tsc emits the DSL's type declarations (dist/types, for `import … from 'atmn'`),
// only when a file they come from changed, so most builds stay as fast as esbuild alone.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const bundling = build({
  entryPoints: { cli: 'src/cli/main.ts', dsl: 'src/dsl/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every package stays external except zod: bundled, it loads as one chunk instead of
  // ~100 ESM files, which is most of `atmn validate`'s start-up (issue #2 target < 250 ms).
  plugins: [externalExcept(['zod'])],
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __ATMN_VERSION__: JSON.stringify(process.env.npm_package_version ?? (await import('./package.json', { with: { type: 'json' } })).default.version) },
});
await Promise.all([bundling, emitDslTypes()]);

function externalExcept(bundled) {
  return {
    name: 'external-except',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        return bundled.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** tsc -p tsconfig.build.json, unless dist/types is newer than every source it is made from. */
async function emitDslTypes() {
  const stamp = 'dist/types/dsl/index.d.ts';
  // The sources are the files the last emit covered (dist/types mirrors src/), plus src/dsl for new ones.
  const emitted = existsSync('dist/types') ? listFiles('dist/types').filter((f) => f.endsWith('.d.ts')) : [];
  const sources = ['src/dsl', 'tsconfig.build.json', ...emitted.map((f) => 'src' + f.slice('dist/types'.length, -'.d.ts'.length) + '.ts')];
  if (existsSync(stamp) && newest(sources) <= statSync(stamp).mtimeMs) return;
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return; // installed without devDependencies: the shipped declarations are used as they are
  }
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    child.on('close', resolve);
  });
  if (code !== 0) console.warn('warning: tsc reported errors while emitting the DSL declarations (dist/types); they were emitted anyway');
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function newest(paths) {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stats = statSync(path);
    if (stats.isDirectory()) latest = Math.max(latest, newest(readdirSync(path).map((name) => join(path, name))));
    else latest = Math.max(latest, stats.mtimeMs);
  }
  return latest;
}
