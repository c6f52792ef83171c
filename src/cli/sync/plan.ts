import { formatIssue } from '../format-error.ts';
import { displayPath, loadConfig, type LoadedConfig } from '../../config/load.ts';
import type { RemoteState } from '../../remote/backend.ts';
import { diffCatalogs, type ChangeSet } from '../../sync/index.ts';
import type { CliContext } from '../context.ts';
import { openSession, warn, type Session, type TargetOpts } from './session.ts';

/**
 * The read half of diff and push (examples.md: changesets' get-release-plan): load the
 * config, open the target, read the remote, diff. Pure diffing happens in src/sync.
 * The caller must close the session.
 */
export interface SyncPlan {
  loaded: LoadedConfig;
  configName: string;
  session: Session;
  remote: RemoteState;
  changeSet: ChangeSet;
}

export interface PlanOpts extends TargetOpts {
  config?: string;
}

export async function readSyncPlan(ctx: CliContext, opts: PlanOpts): Promise<SyncPlan> {
  const loaded = await loadConfig({ cwd: ctx.cwd, ...(opts.config !== undefined ? { config: opts.config } : {}) });
  for (const issue of loaded.warnings) ctx.err(formatIssue(issue, 'warning', ctx.color));
  const session = await openSession(ctx, opts, loaded.dir);
  try {
    const remote = await session.backend.readCatalog();
    for (const message of remote.warnings) warn(ctx, message);
    const changeSet = diffCatalogs(loaded.catalog, remote.catalog, { holders: remote.holders });
    return { loaded, configName: displayPath(loaded.file, ctx.cwd) || loaded.file, session, remote, changeSet };
  } catch (error) {
    await session.close();
    throw error;
  }
}
