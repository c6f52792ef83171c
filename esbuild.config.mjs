// Bundles the CLI and the DSL into dist/ (issue #2). Dependencies stay external so that
// commander's CommonJS requires keep working and start-up imports only what a command needs.
import { build } from 'esbuild';
await build({
  entryPoints: { cli: 'src/cli/main.ts', dsl: 'src/dsl/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __ATMN_VERSION__: JSON.stringify(process.env.npm_package_version ?? (await import('./package.json', { with: { type: 'json' } })).default.version) },
});
