import kleur from 'kleur';
import type { Catalog } from '../catalog/schema.ts';
import { describeMismatch, describeOutcome, describeStep, stepCounts } from './describe.ts';
import { lineFacts } from './expectations.ts';
import { ambiguousPools, describeLine, formatChange, formatMoney, formatNumber, plural } from './format.ts';
import type { CustomerFinalState, ScenarioRun, StepRecord } from './ledger.ts';
import { linesByPeriod, linesTotal, periodBounds, sortLines } from './periods.ts';
import { renderTable } from './table.ts';
import { formatShortInstant } from './time.ts';

/**
 * The human report of one scenario run: a row per step, a per-entity balance
 * table, and the bill of each service period. Aligned tables; color only when asked for,
 * and every status is also a word or symbol, so the report reads the same without color.
 */
export interface TextOptions {
  color: boolean;
  catalog: Catalog;
}

const MAX_CHANGES = 3;

export function renderRunText(run: ScenarioRun, options: TextOptions): string {
  kleur.enabled = options.color;
  const out: string[] = [];
  const customers = run.customers.map((c) => c.id);
  out.push(kleur.bold(`Scenario: ${run.name}`));
  out.push(`  ${[run.file ? `file ${run.file}` : 'quick form', `config ${run.configFile}`].join(' · ')}`);
  out.push(`  ${[`${customers.length === 1 ? 'customer' : 'customers'} ${customers.join(', ')}`, `start ${formatShortInstant(run.start)}`, `entity order ${run.scenario.entityOrder}`].join(' · ')}`);
  const enabled = run.setup.filter((s) => s.plans.length > 0);
  if (enabled.length > 0) {
    const who = (s: (typeof enabled)[number]) => (customers.length > 1 ? `${s.customer}: ` : '');
    out.push(`  autoEnable plans attached at start: ${enabled.map((s) => `${who(s)}${s.plans.join(', ')}`).join('; ')}`);
  }
  out.push('');
  appendAll(out, stepTable(run, customers.length > 1));
  for (const customer of run.customers) {
    out.push('');
    appendAll(out, balanceTable(customer, options.catalog));
    const bills = invoiceSection(customer, options.catalog);
    if (bills.length) appendAll(out, ['', ...bills]);
  }
  out.push('', summaryLine(run));
  return out.join('\n');
}

function stepTable(run: ScenarioRun, showCustomer: boolean): string[] {
  const ambiguous = ambiguousPools(run.steps.flatMap((s) => s.changes));
  const header = ['#', 'date', ...(showCustomer ? ['customer'] : []), 'step', '', 'result', 'balances'];
  const rows: string[][] = [header.map((h) => kleur.dim(h))];
  const details = new Map<number, string[]>();
  for (const record of run.steps) {
    rows.push([
      String(record.number),
      formatShortInstant(record.at),
      ...(showCustomer ? [record.action === 'advance' ? 'all' : record.customer] : []),
      describeStep(record.step),
      statusMark(record),
      describeOutcome(record),
      changesText(record, ambiguous, showCustomer),
    ]);
    const extra = failureDetails(record);
    if (extra.length) details.set(rows.length - 1, extra);
  }
  const lines = renderTable(rows, { align: ['right'] });
  const out: string[] = [];
  lines.forEach((line, index) => {
    out.push(line);
    for (const detail of details.get(index) ?? []) out.push(`      ${kleur.red(detail)}`);
  });
  return out;
}

function statusMark(record: StepRecord): string {
  if (record.status === 'passed') return kleur.green('✓');
  if (record.status === 'failed') return kleur.red('✗');
  return kleur.dim('–');
}

function changesText(record: StepRecord, ambiguous: ReadonlySet<string>, showCustomer: boolean): string {
  if (record.status === 'skipped' || record.action === 'expect' || record.action === 'check') return '';
  // With several customers, a change of someone else's balance (an advance moves them all) names its owner.
  const owner = (customerId: string) => (showCustomer && (record.action === 'advance' || customerId !== record.customer) ? `${customerId}: ` : '');
  const parts = record.changes.slice(0, MAX_CHANGES).map((change) => owner(change.customer_id) + formatChange(change, ambiguous));
  if (record.changes.length > MAX_CHANGES) parts.push(`+${record.changes.length - MAX_CHANGES} more`);
  return parts.join(', ');
}

/** Expected vs actual under a failed step; the error message and hint; the actual bill lines when their count differs. */
function failureDetails(record: StepRecord): string[] {
  if (record.status !== 'failed') return [];
  const out = record.mismatches.map(describeMismatch);
  if (record.error) {
    out.push(record.error.message);
    if (record.error.hint && record.step.expectError === undefined) out.push(`hint: ${record.error.hint}`);
  }
  const result = record.result;
  if (result?.action === 'expect' && record.mismatches.some((m) => m.key === 'lines')) {
    const lines = (result.actual.lines ?? []) as ReturnType<typeof lineFacts>[];
    lines.forEach((line, index) => {
      const keys = [`kind ${line.kind}`, ...(line.feature ? [`feature ${line.feature}`] : []), ...(line.entity ? [`entity ${line.entity}`] : []), `quantity ${formatNumber(line.quantity)}`, `amount ${formatNumber(line.amount)}`];
      out.push(`  actual lines[${index}]: ${keys.join(', ')}`);
    });
  }
  return out;
}

function balanceTable(customer: CustomerFinalState, catalog: Catalog): string[] {
  const features = [...new Set([...Object.keys(customer.balances), ...Object.values(customer.entityBalances).flatMap((b) => Object.keys(b))])].sort();
  const title = `Balances on ${formatShortInstant(customer.now)} · customer ${customer.id}`;
  if (features.length === 0) return [kleur.bold(title), '  no balances'];
  const rows: string[][] = [['', ...features].map((h) => kleur.dim(h))];
  rows.push(['customer (all)', ...features.map((f) => figureText(customer.balances[f], isAllocation(catalog, f)))]);
  for (const entity of customer.entities) {
    const own = customer.entityBalances[entity.id] ?? {};
    rows.push([`${entity.id} (${entity.feature_id})`, ...features.map((f) => figureText(own[f], isAllocation(catalog, f)))]);
  }
  const note = customer.entities.length ? ['  (entity rows: each entity\'s own balances; the customer row also counts the shared pool)'] : [];
  return [kleur.bold(title), ...renderTable(rows), ...note.map((n) => kleur.dim(n))];
}

/** Seats and other allocations read as "5 used of 1"; consumables as "40 left of 50". */
function isAllocation(catalog: Catalog, featureId: string): boolean {
  const feature = catalog.features[featureId];
  return feature !== undefined && feature.type === 'metered' && !feature.consumable;
}

function figureText(figures: { granted: number; remaining: number; usage: number; unlimited: boolean } | undefined, allocation: boolean): string {
  if (!figures) return '–';
  if (figures.unlimited) return `unlimited, ${formatNumber(figures.usage)} used`;
  return allocation ? `${formatNumber(figures.usage)} used, ${formatNumber(figures.granted)} included` : `${formatNumber(figures.remaining)} left of ${formatNumber(figures.granted)}`;
}

function invoiceSection(customer: CustomerFinalState, catalog: Catalog): string[] {
  const lines = customer.invoices.flatMap((invoice) => invoice.lines);
  if (lines.length === 0) return [];
  const out = [kleur.bold(`Invoices · customer ${customer.id}`)];
  const rows: string[][] = [];
  const clock = customer.periods;
  const groups = clock ? linesByPeriod(lines, clock) : new Map([[0, lines]]);
  for (const n of [...groups.keys()].sort((a, b) => a - b)) {
    const group = sortLines(groups.get(n)!, customer.attachmentSeq);
    let running = false;
    if (clock && n > 0) {
      const { start, end } = periodBounds(clock, n);
      running = end > customer.now;
      rows.push([kleur.bold(`period ${n}`), `${formatShortInstant(start)} → ${formatShortInstant(end)}${running ? '  (in progress)' : ''}`, '']);
    } else {
      rows.push([kleur.bold(clock ? 'before period 1' : 'charges'), '', '']);
    }
    for (const line of group) rows.push(['', describeLine(line, catalog), formatMoney(line.amount)]);
    rows.push(['', kleur.bold(running ? 'total so far' : 'total'), kleur.bold(formatMoney(linesTotal(group)))]);
  }
  appendAll(out, renderTable(rows, { align: ['left', 'left', 'right'] }));
  return out;
}

function summaryLine(run: ScenarioRun): string {
  const { failed, skipped } = stepCounts(run.steps);
  if (failed === 0) return kleur.green(`✓ ${run.name}: ${plural(run.steps.length, 'step')} passed`);
  const parts = [`${failed} of ${plural(run.steps.length, 'step')} failed`, ...(skipped ? [`${skipped} skipped`] : [])];
  return kleur.red(`✗ ${run.name}: ${parts.join(', ')}`);
}

/** out.push(...more) without spreading: a long run's tables exceed the argument limit of a call. */
function appendAll<T>(out: T[], more: readonly T[]): void {
  for (const item of more) out.push(item);
}
