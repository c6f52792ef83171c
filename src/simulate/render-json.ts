import type { Catalog } from '../catalog/schema.ts';
import type { Invoice } from '../engine/index.ts';
import { describeOutcome, describeStep, stepCounts } from './describe.ts';
import { describeLine } from './format.ts';
import type { CustomerFinalState, ScenarioRun, StepRecord } from './ledger.ts';
import { lastEndedPeriod, linesByPeriod, linesTotal, periodBounds, sortLines } from './periods.ts';
import { formatInstant } from './time.ts';

/**
 * `atmn simulate --json`: one stable, versioned document with the full ledger. Instants
 * are ISO 8601 UTC strings; engine objects keep the snake_case names of semantics.md.
 * Bump FORMAT_VERSION on any incompatible change.
 */
export const FORMAT_VERSION = 1;

export function renderRunsJson(runs: { run: ScenarioRun; catalog: Catalog }[]): Record<string, unknown> {
  const steps = runs.flatMap(({ run }) => run.steps);
  return {
    format_version: FORMAT_VERSION,
    status: runs.every(({ run }) => run.status === 'passed') ? 'passed' : 'failed',
    summary: { scenarios: runs.length, ...stepCounts(steps) },
    scenarios: runs.map(({ run, catalog }) => scenarioJson(run, catalog)),
  };
}

function scenarioJson(run: ScenarioRun, catalog: Catalog): Record<string, unknown> {
  return isoTimes({
    name: run.name,
    file: run.file,
    config: run.configFile,
    status: run.status,
    customer: run.scenario.customer,
    entity_order: run.scenario.entityOrder,
    start: run.start,
    end: run.end,
    summary: stepCounts(run.steps),
    setup: run.setup,
    steps: run.steps.map(stepJson),
    customers: run.customers.map((customer) => customerJson(customer, catalog)),
  }) as Record<string, unknown>;
}

function stepJson(record: StepRecord): Record<string, unknown> {
  const { step } = record;
  const result = record.result;
  let body: unknown = null;
  if (result) {
    const { action: _action, ...rest } = result;
    body = rest;
  }
  return {
    number: record.number,
    action: record.action,
    customer: record.customer,
    at: record.at,
    status: record.status,
    description: describeStep(step),
    outcome: describeOutcome(record),
    step,
    error: record.error,
    failure: record.failure,
    ...(record.action === 'expect' ? { mismatches: record.mismatches } : {}),
    result: body,
    invoices: record.invoices,
    events: record.events,
    balance_changes: record.changes,
    warnings: record.warnings,
  };
}

function customerJson(customer: CustomerFinalState, catalog: Catalog): Record<string, unknown> {
  return {
    id: customer.id,
    clock: customer.now,
    entities: customer.entities,
    balances: customer.balances,
    entity_balances: customer.entityBalances,
    invoices: customer.invoices,
    periods: periodsJson(customer, catalog),
    events: customer.events,
  };
}

/** Every service period that has lines so far, with its lines in R8.1 order and its total. */
function periodsJson(customer: CustomerFinalState, catalog: Catalog): Record<string, unknown>[] {
  const clock = customer.periods;
  if (!clock) return [];
  const groups = linesByPeriod(customer.invoices.flatMap((invoice: Invoice) => invoice.lines), clock);
  let highest = lastEndedPeriod(clock, customer.now);
  for (const n of groups.keys()) highest = Math.max(highest, n);
  const out: Record<string, unknown>[] = [];
  for (let n = 1; n <= highest; n++) {
    const { start, end } = periodBounds(clock, n);
    const selected = sortLines(groups.get(n) ?? [], customer.attachmentSeq);
    out.push({
      period: n,
      start,
      end,
      ended: end <= customer.now,
      total: linesTotal(selected),
      lines: selected.map((line) => ({ ...line, description: describeLine(line, catalog) })),
    });
  }
  return out;
}

// Keys whose numbers are instants (epoch ms inside the engine and the ledger).
const TIME_KEYS = new Set([
  'at', 'start', 'end', 'clock', 'now', 'from', 'to', 'timestamp', 'created_at', 'attached_at', 'anchor',
  'current_period_start', 'current_period_end', 'period_start', 'period_end', 'next_reset_at', 'expires_at',
]);

/** Deep copy with every instant written as ISO 8601 UTC; `step` (the user's input) is kept verbatim. */
function isoTimes(value: unknown, key = ''): unknown {
  if (key === 'step') return value;
  if (typeof value === 'number' && TIME_KEYS.has(key)) return formatInstant(value);
  if (Array.isArray(value)) return value.map((v) => isoTimes(v));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, isoTimes(v, String(k))]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isoTimes(v, k)]));
  }
  return value;
}
