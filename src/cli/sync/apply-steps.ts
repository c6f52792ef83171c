import { isAtmnError } from '../../errors.ts';
import type { Backend } from '../../remote/backend.ts';
import { applyPhases, type ApplyStep } from '../../sync/index.ts';

/**
 * Runs planApply's steps against a backend (wire.md §3.1 "Apply order"): phases one after
 * another, at most `concurrency` writes in flight within a phase. The first failure stops
 * the push: nothing new starts, writes already in flight finish, and the report says
 * exactly which steps were applied, which failed and which were never tried. Re-running
 * push diffs again and applies only what is still different, so it converges.
 */

export interface FailedStep {
  step: ApplyStep;
  code: string;
  message: string;
  /** The error's own advice, when it has some (e.g. "check the permissions of …"). */
  hint: string | null;
}

export interface ApplyReport {
  applied: ApplyStep[];
  failed: FailedStep[];
  notApplied: ApplyStep[];
}

export interface RunOptions {
  concurrency?: number;
  /** Called after each step settles: done so far, total, the step. */
  onProgress?: (done: number, total: number, step: ApplyStep) => void;
}

export async function runSteps(steps: ApplyStep[], backend: Backend, options: RunOptions = {}): Promise<ApplyReport> {
  const concurrency = options.concurrency ?? 5;
  const report: ApplyReport = { applied: [], failed: [], notApplied: [] };
  let done = 0;
  const phases = applyPhases(steps);
  for (let p = 0; p < phases.length; p++) {
    const queue = [...phases[p]!.steps];
    const started: ApplyStep[] = [];
    const worker = async (): Promise<void> => {
      while (queue.length > 0 && report.failed.length === 0) {
        const step = queue.shift()!;
        started.push(step);
        try {
          await backend.apply(step);
          report.applied.push(step);
        } catch (error) {
          report.failed.push({
            step,
            code: isAtmnError(error) ? error.code : 'internal_error',
            message: error instanceof Error ? error.message : String(error),
            hint: isAtmnError(error) ? (error.hint ?? null) : null,
          });
        }
        options.onProgress?.(++done, steps.length, step);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    if (report.failed.length > 0) {
      report.notApplied.push(...queue, ...phases.slice(p + 1).flatMap((phase) => phase.steps));
      break;
    }
  }
  // Keep the plan's order in every list, whatever order concurrent writes finished in.
  const order = new Map(steps.map((step, index) => [step, index]));
  const byPlan = (a: ApplyStep, b: ApplyStep) => order.get(a)! - order.get(b)!;
  report.applied.sort(byPlan);
  report.failed.sort((a, b) => byPlan(a.step, b.step));
  report.notApplied.sort(byPlan);
  return report;
}

/** "create feature seats", "update plan pro (new version)". */
export function describeStep(step: ApplyStep): string {
  const base = `${step.action} ${step.entity} ${step.id}`;
  if (step.entity !== 'plan' || !step.intent) return base;
  const intent = { create_version: 'new version', update_current: 'edit current version', update_all_versions: 'edit all versions' }[step.intent];
  return `${base} (${intent})`;
}

export function stepJson(step: ApplyStep): Record<string, unknown> {
  return { action: step.action, entity: step.entity, id: step.id, ...(step.entity === 'plan' && step.intent ? { intent: step.intent } : {}) };
}
