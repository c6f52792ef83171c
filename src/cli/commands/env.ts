import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAtmnError } from '../../errors.ts';
import { openBackend, type Organization } from '../../remote/backend.ts';
import { readLiveLock } from '../../store/lock.ts';
import { catalogFile, readStoredCatalog } from '../../store/state.ts';
import { countOf } from '../../sync/decisions.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { configPathFor } from '../../config/find.ts';
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
  const { target, displayStateDir } = resolveSessionTarget(ctx, opts, dirname(configPathFor({ cwd: ctx.cwd, config: opts.config })));
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
    ['Organization', organization ? describeOrganization(organization) : 'none (the local sandbox needs no account)'],
    ['Environment', (organization?.env ?? target.environment) === 'live' ? 'live (production)' : 'sandbox'],
    ['Key', target.key ? `${target.key.description} (${target.key.redacted})` : target.kind === 'sandbox' ? 'none needed' : 'none found'],
  ];
  if (local) {
    rows.push(['State', local.problem ? `${local.file} (unreadable)` : local.exists ? `${local.file} (${countOf(local.features, 'feature')}, ${countOf(local.plans, 'plan')})` : `${local.file} (nothing pushed yet)`]);
    if (local.problem) warn(ctx, local.problem);
    if (local.dev_server_pid !== null) rows.push(['Dev server', `running (pid ${local.dev_server_pid}); add --local to use it`]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  ctx.out(rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n'));
  return EXIT.ok;
}

/** "Acme Inc (acme)"; a server that names nothing is said to, rather than shown as blank. */
function describeOrganization(organization: Organization): string {
  const name = organization.name ?? organization.slug ?? organization.id;
  if (name === null) return 'not named by the server';
  return organization.slug && organization.slug !== name ? `${name} (${organization.slug})` : name;
}

/** What the local sandbox holds; a state that cannot be read is reported, not fatal: env is what one runs to find out. */
function localState(stateDir: string, displayStateDir: string) {
  const file = catalogFile(stateDir, 'sandbox');
  const exists = existsSync(file);
  let catalog = null;
  let problem: string | null = null;
  try {
    catalog = exists ? readStoredCatalog(stateDir, 'sandbox').catalog : null;
  } catch (error) {
    if (!isAtmnError(error)) throw error;
    problem = error.hint ? `${error.message} ${error.hint}` : error.message;
  }
  const lock = readLiveLock(stateDir);
  return {
    file: join(displayStateDir, 'sandbox', 'catalog.json'),
    exists,
    features: catalog ? Object.keys(catalog.features).length : 0,
    plans: catalog ? Object.keys(catalog.plans).length : 0,
    problem,
    dev_server_pid: lock?.pid ?? null,
  };
}

