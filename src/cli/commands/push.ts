import { AtmnError } from '../../errors.ts';
import {
  countOf,
  isInSync,
  openDecisions,
  planApply,
  renderChangeSetText,
  renderDecisionsText,
  type Grants,
  type VersioningChoice,
} from '../../sync/index.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { describeStep, runSteps, stepJson, type ApplyReport } from '../sync/apply-steps.ts';
import { planEnvelope, printDecisionsNeeded, readSyncPlan, type PlanOpts, type SyncPlan } from '../sync/plan.ts';
import { confirm } from '../sync/prompt.ts';
import { kleurFor } from '../sync/session.ts';

interface PushOpts extends PlanOpts {
  yes?: boolean;
  headless?: boolean;
  allowDelete?: boolean;
  versioning?: VersioningChoice;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `atmn push` (issue #4 item 4): diff, then decisions, then one confirmation, then the
 * writes in planApply order. Decisions are granted only by flags (--allow-delete,
 * --versioning); --yes only turns the prompt off. An open decision stops the push before
 * any write (exit 3). A failed write stops it and reports what was and was not applied
 * (exit 1); running push again converges.
 */
export async function pushCommand(rawOpts: Record<string, unknown>, ctx: CliContext, _args: string[]): Promise<number> {
  const opts = rawOpts as PushOpts;
  const json = Boolean(opts.json);
  const grants: Grants = { allowDelete: Boolean(opts.allowDelete), versioning: opts.versioning ?? null };
  const plan = await readSyncPlan(ctx, opts);
  try {
    const { changeSet } = plan;
    const envelope = (status: string, extra: Record<string, unknown> = {}) => planEnvelope(plan, status, grants, extra);

    if (!json) ctx.out(renderChangeSetText(changeSet, { color: ctx.color, configName: plan.configName }));
    if (isInSync(changeSet)) {
      if (json) ctx.out(envelope('in_sync'));
      return EXIT.ok;
    }

    const open = openDecisions(changeSet, grants);
    if (opts.dryRun) {
      if (json) ctx.out(envelope('changes_pending'));
      else printDecisionsNeeded(ctx, open);
      return EXIT.changesPending;
    }
    if (open.length > 0) {
      if (json) ctx.out(envelope('needs_decision'));
      else {
        ctx.err(`\n${kleurFor(ctx).red().bold('error')}: push needs ${open.length === 1 ? 'a decision' : `${open.length} decisions`} that no flag granted; nothing was written.`);
        ctx.err(renderDecisionsText(open, { color: ctx.color }));
      }
      return EXIT.needsDecision;
    }

    await confirmOrRefuse(ctx, opts, plan);
    const steps = planApply(changeSet, grants);
    const progress = ctx.stderr.isTTY && !json && steps.length > 1;
    const report = await runSteps(steps, plan.session.backend, {
      onProgress: progress ? (done, total, step) => ctx.stderr.write(`\r\x1b[K[${done}/${total}] ${describeStep(step)}${done === total ? '\n' : ''}`) : undefined,
    });
    if (progress && report.failed.length > 0) ctx.stderr.write('\n');
    return printReport(ctx, json, plan, report, envelope);
  } finally {
    await plan.session.close();
  }
}

async function confirmOrRefuse(ctx: CliContext, opts: PushOpts, plan: SyncPlan): Promise<void> {
  if (opts.yes || opts.headless) return;
  const target = plan.session.target;
  if (!ctx.interactive) {
    throw new AtmnError('usage', 'push needs --yes to apply changes when it cannot ask (no terminal, CI, or --json).', {
      hint: 'Pass --yes to apply, or run `atmn diff` to only show the plan. --yes grants no decision: removals still need --allow-delete.',
    });
  }
  const where = target.production ? kleurFor(ctx).red().bold(`PRODUCTION (${target.name})`) : target.name;
  if (!(await confirm(ctx, `\nApply these changes to ${where}?`))) {
    throw new AtmnError('usage', 'Push cancelled; nothing was written.');
  }
}

function printReport(
  ctx: CliContext,
  json: boolean,
  plan: SyncPlan,
  report: ApplyReport,
  envelope: (status: string, extra?: Record<string, unknown>) => string,
): number {
  const failed = report.failed.length > 0;
  if (json) {
    ctx.out(envelope(failed ? 'partial_failure' : 'applied', {
      applied: report.applied.map(stepJson),
      failed: report.failed.map((f) => ({ ...stepJson(f.step), error: { code: f.code, message: f.message } })),
      not_applied: report.notApplied.map(stepJson),
    }));
    return failed ? EXIT.error : EXIT.ok;
  }
  const k = kleurFor(ctx);
  const target = plan.session.target.name;
  if (!failed) {
    ctx.out(`\n${k.green('Applied')} ${countOf(report.applied.length, 'change')} to ${target}.`);
    return EXIT.ok;
  }
  const lines = [`\n${k.red('Push stopped')}: ${report.applied.length} of ${report.applied.length + report.failed.length + report.notApplied.length} changes were applied to ${target}.`];
  if (report.applied.length > 0) lines.push('Applied:', ...report.applied.map((s) => `  ${k.green('✓')} ${describeStep(s)}`));
  lines.push('Failed:', ...report.failed.map((f) => `  ${k.red('✗')} ${describeStep(f.step)}: ${f.message}`));
  if (report.notApplied.length > 0) lines.push('Not applied:', ...report.notApplied.map((s) => `  ${k.dim('·')} ${describeStep(s)}`));
  ctx.out(lines.join('\n'));
  const first = report.failed[0]!;
  ctx.err(`${k.red().bold('error')}: push failed at ${describeStep(first.step)}.\n  ${k.cyan('hint')}: fix the cause and run \`atmn push\` again; it applies only what is still different.`);
  if (first.hint) ctx.err(`  ${k.cyan('hint')}: ${first.hint}`);
  return EXIT.error;
}

