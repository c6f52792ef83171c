import type { CliIo } from './context.ts';

declare const __ATMN_VERSION__: string;
export const VERSION: string = typeof __ATMN_VERSION__ === 'string' ? __ATMN_VERSION__ : '0.0.0-dev';

/**
 * The CLI entry: argv in, exit code out (examples.md: esbuild's `Run(args) int`).
 * Nothing heavy at the top: `--version` answers before commander loads, and each
 * command module is imported only when that command runs.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === '-V')) {
    io.stdout.write(VERSION + '\n');
    return 0;
  }
  const { buildProgram } = await import('./program.ts');
  return buildProgram(io, VERSION).run(argv);
}
