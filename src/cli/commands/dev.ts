import { devServerFlag, LOCAL_PORT } from '../../store/lock.ts';
import { dirname, resolve } from 'node:path';
import { findConfig, displayPath } from '../../config/find.ts';
import type { EntityOrder } from '../../engine/index.ts';
import { AtmnError, isAtmnError } from '../../errors.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { kleurFor, stateDirFor } from '../sync/session.ts';

interface DevOpts {
  config?: string;
  port?: string;
  host?: string;
  data?: string;
  reset?: boolean;
  key?: string;
  entityOrder?: EntityOrder;
}

/**
 * `atmn dev` (issue 5): an Autumn-compatible API over the local engine and the `.atmn/`
 * state, until SIGINT or SIGTERM. Prints the URL, the sandbox key and a first request.
 */
export async function devCommand(rawOpts: Record<string, unknown>, ctx: CliContext, _args: string[]): Promise<number> {
  const opts = rawOpts as DevOpts;
  const port = parsePort(opts.port ?? String(LOCAL_PORT));
  const host = opts.host ?? '127.0.0.1';
  const dataDir = opts.data !== undefined ? resolve(ctx.cwd, opts.data) : stateDirFor(projectDir(ctx, opts.config));
  const displayDataDir = displayPath(dataDir, ctx.cwd) || '.';
  const { startDevServer } = await import('../../server/dev-server.ts');
  const server = await startDevServer({
    dataDir,
    displayDataDir,
    host,
    port,
    keyOverride: opts.key,
    entityOrder: opts.entityOrder ?? 'created',
    reset: Boolean(opts.reset),
    version: ctx.version,
    logDefect: (error) => ctx.err(`atmn dev: internal error while serving a request (a bug in atmn ${ctx.version}):\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });

  const kleur = kleurFor(ctx);
  const counts = server.catalogCounts.sandbox;
  const replay = server.report.replayed > 0 ? `, ${server.report.replayed} journal entries replayed` : '';
  const torn = server.report.droppedBytes > 0 ? `, a torn last journal line (${server.report.droppedBytes} bytes) dropped` : '';
  ctx.out(
    [
      `${kleur.bold('atmn dev')} ${ctx.version}: Autumn-compatible API at ${kleur.cyan(server.url)}`,
      `  state  ${displayDataDir} (${counts.features} features, ${counts.plans} plans${replay}${torn})`,
      `  key    ${server.keys.sandbox}  (sandbox; the live key is in ${displayPath(server.keysFile, ctx.cwd)})`,
      `  try    curl -s ${server.url}/v1/customers.get_or_create -H "Authorization: Bearer ${server.keys.sandbox}" -H "content-type: application/json" -d '{"customer_id":"cus_1"}'`,
      `  sdk    new Autumn({ secretKey: "${server.keys.sandbox}", serverURL: "${server.url}" })`,
    ].join('\n'),
  );
  if (counts.plans === 0) {
    const pushTo = devServerFlag(server.port, server.url);
    ctx.err(kleur.yellow(`No plans yet: run \`atmn push ${pushTo}\` to load autumn.config.ts into this server.`));
  }
  ctx.err(kleur.dim('Press Ctrl-C to stop.'));

  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal('SIGINT'));
    process.once('SIGTERM', () => resolveSignal('SIGTERM'));
  });
  ctx.err(kleur.dim(`${signal}: finishing open requests and saving state…`));
  await server.close();
  ctx.err(kleur.dim('atmn dev stopped.'));
  return EXIT.ok;
}

/** The config's folder, where `.atmn/` lives; the working directory when there is no config. */
function projectDir(ctx: CliContext, config: string | undefined): string {
  try {
    return dirname(findConfig({ cwd: ctx.cwd, ...(config !== undefined ? { config } : {}) }));
  } catch (error) {
    if (config === undefined && isAtmnError(error) && error.code === 'config_not_found') return ctx.cwd;
    throw error;
  }
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new AtmnError('usage', `--port must be a number from 0 to 65535; got "${raw}".`, { hint: '8080 is what --local in atmn and our CLI expect; 0 picks a free port.' });
  }
  return port;
}
