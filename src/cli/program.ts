import { Command, CommanderError, Option } from 'commander';
import { createContext, type CliContext, type CliIo, type ContextFlags } from './context.ts';
import { AtmnError } from '../errors.ts';
import { errorEnvelope, reportError } from './report-error.ts';
import { EXIT } from './exit-codes.ts';

type Action = (opts: Record<string, unknown>, ctx: CliContext, args: string[]) => Promise<number>;

/**
 * Declares every command and flag. Each command's implementation lives in
 * cli/commands/<name>.ts and is imported lazily by its action.
 */
export function buildProgram(io: CliIo, version: string): { run(argv: string[]): Promise<number> } {
  let exitCode: number = EXIT.ok;
  const program = new Command('atmn')
    .description('Pricing as code for Autumn: validate, diff, push, pull and simulate autumn.config.ts')
    .version(version, '-v, --version')
    .option('--no-color', 'disable colors (NO_COLOR is respected too)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const action = (load: () => Promise<Action>) =>
    async function (this: Command, ...rest: unknown[]) {
      const opts = { ...program.opts(), ...this.opts() } as Record<string, unknown>;
      const args = rest.slice(0, -2).flat().filter((a): a is string => typeof a === 'string');
      const ctx = createContext(io, opts as ContextFlags, version);
      try {
        exitCode = await (await load())(opts, ctx, args);
      } catch (error) {
        exitCode = reportError(ctx, error, Boolean(opts.json));
      }
    };

  const configOption = () => new Option('-c, --config <path>', 'config file or folder (default: ./autumn.config.ts)');
  const targetOptions = (cmd: Command) =>
    cmd
      .option('--url <url>', 'use the Autumn-compatible server at this base URL (wins over everything)')
      .option('--local', 'use a local server at http://localhost:8080 (what `atmn dev` listens on)')
      .option('-p, --prod', 'use the live key AUTUMN_PROD_SECRET_KEY instead of AUTUMN_SECRET_KEY');

  program
    .command('init')
    .description('scaffold autumn.config.ts from a template')
    .option('-t, --template <name>', 'template to use (see --list)')
    .option('--list', 'list the templates')
    .option('-y, --yes', 'never prompt; use the default template unless --template is given')
    .option('-f, --force', 'overwrite an existing config')
    .option('--json', 'print a JSON result')
    .action(action(async () => (await import('./commands/init.ts')).initCommand));

  program
    .command('validate')
    .description('load and validate the config; print a summary of the plan graph')
    .addOption(configOption())
    .option('--json', 'print the normalized Catalog as JSON')
    .action(action(async () => (await import('./commands/validate.ts')).validateCommand));

  targetOptions(
    program
      .command('diff')
      .alias('plan')
      .description('show what push would change (exit 0 in sync, 2 changes pending, 1 error)')
      .addOption(configOption())
      .option('--json', 'print the change set as JSON'),
  ).action(action(async () => (await import('./commands/diff.ts')).diffCommand));

  targetOptions(
    program
      .command('push')
      .description('apply the config to the target')
      .addOption(configOption())
      .option('-y, --yes', 'do not prompt (grants no decision)')
      .option('--headless', 'same as --yes')
      .option('--allow-delete', 'grant removals of remote features and plans missing from the config')
      .addOption(new Option('--versioning <mode>', 'grant a versioning choice for plans that have customers').choices(['new', 'current', 'all']))
      .option('--dry-run', 'show the diff only; exit 2 when changes are pending')
      .option('--json', 'print the result as JSON'),
  ).action(action(async () => (await import('./commands/push.ts')).pushCommand));

  targetOptions(
    program
      .command('pull')
      .description('write the remote catalog into autumn.config.ts')
      .addOption(configOption())
      .option('-f, --force', 'overwrite the config instead of updating it in place')
      .option('--json', 'print the result as JSON'),
  ).action(action(async () => (await import('./commands/pull.ts')).pullCommand));

  targetOptions(
    program
      .command('env')
      .description('show the resolved target, organization, environment and key source')
      .addOption(configOption())
      .option('--json', 'print as JSON'),
  ).action(action(async () => (await import('./commands/env.ts')).envCommand));

  program
    .command('simulate')
    .description('run seat scenarios against the config offline (exit 1 if a step fails)')
    .argument('[scenarios...]', '*.scenario.json or *.scenario.ts files (default: those in the current folder)')
    .addOption(configOption())
    .option('--json', 'print the full ledger as JSON')
    .option('--plan <id>', 'quick form: attach this plan (no scenario file needed)')
    .option('--seats <n>', 'quick form: create entities seat-1..seat-n of the plan\'s entity feature')
    .option('--track <spec>', 'quick form: feature=value[@entity], tracked every month; repeatable', collect, [])
    .option('--months <n>', 'quick form: months to run (default 1)')
    .option('--customer <id>', 'quick form: customer id (default "customer")')
    .addOption(new Option('--entity-order <order>', 'customer-level deduction order (overrides the scenario)').choices(['created', 'id']))
    .action(action(async () => (await import('./commands/simulate.ts')).simulateCommand));

  program
    .command('dev')
    .description('serve an Autumn-compatible API over the local engine')
    .addOption(configOption())
    .option('--port <port>', 'port to listen on', '8080')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data <dir>', 'state folder (default: .atmn beside the config)')
    .option('--reset', 'start from empty state')
    .option('--key <key>', 'use this key instead of the generated one')
    .addOption(new Option('--entity-order <order>', 'customer-level deduction order').choices(['created', 'id']))
    .action(action(async () => (await import('./commands/dev.ts')).devCommand));

  return {
    async run(argv: string[]) {
      try {
        await program.parseAsync(argv, { from: 'user' });
      } catch (error) {
        if (error instanceof CommanderError) {
          if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
          // commander already printed the message on stderr; --json readers still get their one document.
          if (argv.includes('--json')) {
            const message = error.message.replace(/^error: /, '');
            io.stdout.write(`${JSON.stringify(errorEnvelope(new AtmnError('usage', message, { hint: 'Run with --help for usage.' })), null, 2)}\n`);
          }
          return EXIT.error;
        }
        throw error;
      }
      return exitCode;
    },
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
