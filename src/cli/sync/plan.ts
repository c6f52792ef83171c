import { formatIssue } from '../format-error.ts';
import { displayPath, loadConfig } from '../../config/load.ts';
import { diffCatalogs, NO_GRANTS, renderChangeSetJson, renderDecisionsText, type ChangeSet, type Decision, type Grants } from '../../sync/index.ts';
import type { CliContext } from '../context.ts';
import { openSession, targetJson, warn, type Session, type TargetOpts } from './session.ts';

export interface SyncPlan {
  /** The config file as the user should read it. */
  configName: string;
  session: Session;
  changeSet: ChangeSet;
}

export interface PlanOpts extends TargetOpts {
  config?: string;
}

/**
 * The read half of diff and push (examples.md: changesets' get-release-plan): load the
 * config, open the target, read the remote, diff. Pure diffing happens in src/sync.
 * The caller must close the session.
 */
export async function readSyncPlan(ctx: CliContext, opts: PlanOpts): Promise<SyncPlan> {
  const loaded = await loadConfig({ cwd: ctx.cwd, ...(opts.config !== undefined ? { config: opts.config } : {}) });
  for (const issue of loaded.warnings) ctx.err(formatIssue(issue, 'warning', ctx.color));
  const session = await openSession(ctx, opts, loaded.dir);
  try {
    const remote = await session.backend.readCatalog();
    for (const message of remote.warnings) warn(ctx, message);
    const changeSet = diffCatalogs(loaded.catalog, remote.catalog, { holders: remote.holders });
    return { configName: displayPath(loaded.file, ctx.cwd) || loaded.file, session, changeSet };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** The one JSON document diff and push print: the change set, with the run's status and target. */
export function planEnvelope(plan: SyncPlan, status: string, grants: Grants = NO_GRANTS, extra: Record<string, unknown> = {}): string {
  const { format_version, ...rest } = renderChangeSetJson(plan.changeSet, { grants });
  return JSON.stringify({ format_version, status, target: targetJson(plan.session.target, plan.session.displayStateDir), ...rest, ...extra }, null, 2);
}

/** Under the change set's text: the decisions a push of it would still need, if any. */
export function printDecisionsNeeded(ctx: CliContext, decisions: Decision[]): void {
  if (decisions.length > 0) ctx.out(`\nPush will need:\n${renderDecisionsText(decisions, { color: ctx.color })}`);
}
