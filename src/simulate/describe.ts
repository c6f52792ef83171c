import { BALANCE_KEYS } from './expectations.ts';
import { formatMoney, formatNumber, plural } from './format.ts';
import type { Mismatch, StepRecord } from './ledger.ts';
import type { Step } from './schema.ts';
import { formatShortInstant } from './time.ts';

/** One-line descriptions of a step and of what came of it, shared by the report renderers. */

/** "track summaries 50 on alice", "advance 1 month", "expect invoice of period 1". */
export function describeStep(step: Step): string {
  const suffix = step.expectError ? ` (expect error ${step.expectError})` : '';
  return describeAction(step) + suffix;
}

function describeAction(step: Step): string {
  if ('attach' in step) {
    const { plan, entity, quantities } = step.attach;
    const bought = quantities ? Object.entries(quantities).map(([f, q]) => `${f} ${formatNumber(q)}`).join(', ') : '';
    return `attach ${plan}${entity ? ` to ${entity}` : ''}${bought ? ` (${bought})` : ''}`;
  }
  if ('detach' in step) return `detach ${step.detach.plan}${step.detach.entity ? ` from ${step.detach.entity}` : ''}`;
  if ('createEntity' in step) return `create ${step.createEntity.id} (${step.createEntity.feature})`;
  if ('deleteEntity' in step) return `delete ${step.deleteEntity.id}`;
  if ('track' in step) {
    const { feature, value, entity, overage, idempotencyKey } = step.track;
    const extras = [overage ? overage : '', idempotencyKey ? `key ${idempotencyKey}` : ''].filter(Boolean).join(', ');
    return `track ${feature} ${formatNumber(value)}${entity ? ` on ${entity}` : ''}${extras ? ` [${extras}]` : ''}`;
  }
  if ('check' in step) {
    const { feature, entity, required } = step.check;
    return `check ${feature}${entity ? ` on ${entity}` : ''}${required !== 1 ? `, required ${formatNumber(required)}` : ''}`;
  }
  if ('advance' in step) return typeof step.advance === 'string' ? `advance ${step.advance.trim()}` : `advance to ${formatShortInstant(Date.parse(step.advance.to))}`;
  const expectation = step.expect;
  if ('entities' in expectation) return `expect ${expectation.entities.count} ${expectation.entities.feature} entities`;
  if ('invoice' in expectation) return `expect invoice of period ${expectation.invoice.period}`;
  return `expect ${expectation.feature}${expectation.entity ? ` on ${expectation.entity}` : ''}`;
}

/** What happened: "invoice $30.00", "applied 50 of 60", "allowed, remaining 30", "→ 2026-02-01". */
export function describeOutcome(record: StepRecord): string {
  if (record.status === 'skipped') return 'skipped';
  if (record.step.expectError !== undefined && record.status === 'passed') return `failed as expected: ${record.error?.code}`;
  if (record.status === 'failed') {
    // The full message goes on the detail lines under the row (failureDetails), so the column stays narrow.
    if (record.step.expectError !== undefined) return record.error ? `expected ${record.step.expectError}, got ${record.error.code}` : `expected ${record.step.expectError}, got success`;
    if (record.error) return `error ${record.error.code}`;
    return plural(record.mismatches.length, 'difference');
  }
  const result = record.result;
  if (!result) return '';
  const bills = record.invoices.length ? record.invoices.map((i) => `invoice ${formatMoney(i.total)}`).join(', ') : '';
  const join = (...parts: string[]) => parts.filter(Boolean).join(', ');
  switch (result.action) {
    case 'attach':
      return join(result.attach.ended.length ? `ended ${result.attach.ended.map((a) => a.plan_id).join(', ')}` : '', bills) || 'attached';
    case 'detach':
      return join('ended', bills);
    case 'createEntity': {
      const warning = result.createEntity.warnings.map((w) => `over included (${formatNumber(w.in_use)} in use, ${formatNumber(w.included)} included)`);
      return join(`${result.featureId} in use: ${result.inUse}`, ...warning);
    }
    case 'deleteEntity':
      return join(`${result.featureId} in use: ${result.inUse}`, bills);
    case 'track': {
      const t = result.track;
      const applied = t.applied === t.value ? `applied ${formatNumber(t.applied)}` : `applied ${formatNumber(t.applied)} of ${formatNumber(t.value)}`;
      return join(applied, t.entity_created ? `created ${t.entity_id}` : '');
    }
    case 'check': {
      const c = result.check;
      const remaining = c.balance ? `remaining ${formatNumber(c.balance.remaining)}` : '';
      return join(c.allowed ? 'allowed' : 'not allowed', remaining, c.entity_created ? `created ${c.entity_id}` : '');
    }
    case 'advance':
      return join(`→ ${formatShortInstant(result.to)}`, bills);
    case 'expect':
      return describeActual(record);
  }
}

/** For a passed expectation: the figures it confirmed, "remaining 0, allowed false". */
function describeActual(record: StepRecord): string {
  const step = record.step;
  if (!('expect' in step) || record.result?.action !== 'expect') return '';
  const expectation = step.expect;
  const actual = record.result.actual;
  if ('entities' in expectation) return `count ${String(actual.count)}`;
  if ('invoice' in expectation) return `period ${String(actual.period)}: ${formatMoney(Number(actual.total))}`;
  const keys = BALANCE_KEYS.filter((k) => expectation[k] !== undefined);
  return keys.map((k) => `${k} ${formatValue(actual[k])}`).join(', ');
}

/** How many steps there are, and how many passed, failed and were skipped. */
export function stepCounts(steps: readonly StepRecord[]): { steps: number; passed: number; failed: number; skipped: number } {
  const count = (status: StepRecord['status']) => steps.filter((s) => s.status === status).length;
  return { steps: steps.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** "remaining: expected 10, got 0" */
export function describeMismatch(mismatch: Mismatch): string {
  return `${mismatch.key}: expected ${formatValue(mismatch.expected)}, got ${formatValue(mismatch.actual)}`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}
