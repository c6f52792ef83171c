import { isInSync, openDecisions, renderChangeSetJson, renderChangeSetText, renderDecisionsText, NO_GRANTS } from '../../sync/index.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { readSyncPlan, type PlanOpts } from '../sync/plan.ts';
import { targetJson } from '../sync/session.ts';

/**
 * `atmn diff` (alias `plan`): what push would change, like `terraform plan` (issue #4 item 3).
 * Exit 0 in sync, 2 changes pending, 1 error; usable as a scheduled drift check.
 * `--json` prints exactly one envelope on stdout, errors included.
 */
export async function diffCommand(opts: Record<string, unknown>, ctx: CliContext, _args: string[]): Promise<number> {
  const plan = await readSyncPlan(ctx, opts as PlanOpts);
  try {
    const inSync = isInSync(plan.changeSet);
    if (opts.json) {
      const { format_version, ...rest } = renderChangeSetJson(plan.changeSet);
      ctx.out(JSON.stringify({
        format_version,
        status: inSync ? 'in_sync' : 'changes_pending',
        target: targetJson(plan.session.target, plan.session.displayStateDir),
        ...rest,
      }, null, 2));
    } else {
      ctx.out(renderChangeSetText(plan.changeSet, { color: ctx.color, configName: plan.configName }));
      const decisions = openDecisions(plan.changeSet, NO_GRANTS);
      if (decisions.length > 0) ctx.out(`\nPush will need:\n${renderDecisionsText(decisions, { color: ctx.color })}`);
    }
    return inSync ? EXIT.ok : EXIT.changesPending;
  } finally {
    await plan.session.close();
  }
}
