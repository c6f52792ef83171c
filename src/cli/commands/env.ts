import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { openBackend } from '../../remote/backend.ts';
import { readLiveLock } from '../../store/lock.ts';
import { catalogFile, readStoredCatalog } from '../../store/state.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { resolveSessionTarget, targetJson, warn, type TargetOpts } from '../sync/session.ts';

interface EnvOpts extends TargetOpts {
  config?: string;
  json?: boolean;
}

/**
 * `atmn env` (issue #4 item 6): which target the other commands would use, its
 * organization and environment (GET /v1/organization/me), and where the key came from.
 * Reads only; the config is not loaded, so this works while the config is broken.
 */
export async function envCommand(rawOpts: Record<string, unknown>, ctx: CliContext, _args: string[]): Promise<number> {
  const opts = rawOpts as EnvOpts;
  const { target, displayStateDir } = resolveSessionTarget(ctx, opts, projectDirFor(ctx.cwd, opts.config));
  for (const warning of target.warnings) warn(ctx, warning);
  const backend = await openBackend(target, { version: ctx.version, displayStateDir });
  let organization;
  try {
    organization = await backend.organization();
  } finally {
    await backend.close();
  }
  const local = target.kind === 'sandbox' ? localState(target.stateDir, displayStateDir) : null;

  if (opts.json) {
    ctx.out(JSON.stringify({
      format_version: 1,
      target: targetJson(target, displayStateDir),
      organization,
      environment: organization?.env ?? target.environment,
      ...(local ? { local_sandbox: local } : {}),
    }, null, 2));
    return EXIT.ok;
  }
  const rows: [string, string][] = [
    ['Target', target.kind === 'sandbox' ? `local sandbox in ${displayStateDir}` : `${target.name}${target.kind === 'hosted' ? ` (${target.baseUrl})` : ''}`],
    ['Chosen by', target.chosenBy],
    ['Organization', organization ? `${organization.name ?? '?'}${organization.slug ? ` (${organization.slug})` : ''}` : 'none (the local sandbox needs no account)'],
    ['Environment', (organization?.env ?? target.environment) === 'live' ? 'live (production)' : 'sandbox'],
    ['Key', target.key ? `${target.key.description} (${target.key.redacted})` : target.kind === 'sandbox' ? 'none needed' : 'none found'],
  ];
  if (local) {
    rows.push(['State', local.exists ? `${local.file} (${local.features} features, ${local.plans} plans)` : `${local.file} (nothing pushed yet)`]);
    if (local.dev_server_pid !== null) rows.push(['Dev server', `running (pid ${local.dev_server_pid}); add --local to use it`]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  ctx.out(rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n'));
  return EXIT.ok;
}

function projectDirFor(cwd: string, config: string | undefined): string {
  if (config === undefined) return cwd;
  const candidate = resolve(cwd, config);
  try {
    if (statSync(candidate).isDirectory()) return candidate;
  } catch {
    // a file that does not exist yet still names its folder
  }
  return dirname(candidate);
}

function localState(stateDir: string, displayStateDir: string) {
  const file = catalogFile(stateDir, 'sandbox');
  const exists = existsSync(file);
  const catalog = exists ? readStoredCatalog(stateDir, 'sandbox').catalog : null;
  const lock = readLiveLock(stateDir);
  return {
    file: join(displayStateDir, 'sandbox', 'catalog.json'),
    exists,
    features: catalog ? Object.keys(catalog.features).length : 0,
    plans: catalog ? Object.keys(catalog.plans).length : 0,
    dev_server_pid: lock?.pid ?? null,
  };
}

