import { isInSync, openDecisions, renderChangeSetText, NO_GRANTS } from '../../sync/index.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { planEnvelope, printDecisionsNeeded, readSyncPlan, type PlanOpts } from '../sync/plan.ts';

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
      ctx.out(planEnvelope(plan, inSync ? 'in_sync' : 'changes_pending'));
    } else {
      ctx.out(renderChangeSetText(plan.changeSet, { color: ctx.color, configName: plan.configName }));
      printDecisionsNeeded(ctx, openDecisions(plan.changeSet, NO_GRANTS));
    }
    return inSync ? EXIT.ok : EXIT.changesPending;
  } finally {
    await plan.session.close();
  }
}
