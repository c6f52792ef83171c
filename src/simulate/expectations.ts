import type { Engine, InvoiceLine } from '../engine/index.ts';
import { AtmnError } from '../errors.ts';
import { sameAt6dp } from './decimal.ts';
import type { Mismatch } from './ledger.ts';
import { lastEndedPeriod, linesOfPeriod, linesTotal, periodBounds, type PeriodClock } from './periods.ts';
import type { BalanceExpectation, EntitiesExpectation, Expectation, InvoiceExpectation } from './schema.ts';
import { formatShortInstant } from './time.ts';

/**
 * Evaluates one `expect` step against the engine (spec/scenario.md "Expectations").
 * Never changes state: a balance expectation runs a check on a live subject only, so no
 * entity is auto-created and no event is written. Returns what was seen and what differed;
 * throws AtmnError for entity_not_found / feature_not_found.
 */
export interface ExpectationOutcome {
  actual: Record<string, unknown>;
  mismatches: Mismatch[];
}

export interface PeriodBook {
  periods: PeriodClock | null;
  attachmentSeq: ReadonlyMap<string, number>;
}

export function evaluateExpectation(engine: Engine, customerId: string, expectation: Expectation, book: PeriodBook): ExpectationOutcome {
  if ('entities' in expectation) return expectEntities(engine, customerId, expectation);
  if ('invoice' in expectation) return expectInvoice(engine, customerId, expectation, book);
  return expectBalance(engine, customerId, expectation);
}

/** The keys a balance expectation compares, in report order. */
export const BALANCE_KEYS = ['allowed', 'granted', 'remaining', 'usage', 'unlimited', 'overageAllowed'] as const;

function expectBalance(engine: Engine, customerId: string, expected: BalanceExpectation): ExpectationOutcome {
  if (expected.entity !== undefined && !engine.entities(customerId).some((e) => e.id === expected.entity)) {
    throw new AtmnError('entity_not_found', `Entity '${expected.entity}' does not exist for customer '${customerId}'.`, {
      hint: 'An expectation never creates entities: add a createEntity step first, or set "expectError": "entity_not_found".',
    });
  }
  const result = engine.check({ customerId, featureId: expected.feature, entityId: expected.entity ?? null, requiredBalance: expected.required });
  const view = result.balance;
  const actual = {
    allowed: result.allowed,
    granted: view ? view.granted : null,
    remaining: view ? view.remaining : null,
    usage: view ? view.usage : null,
    unlimited: view ? view.unlimited : false,
    overageAllowed: view ? view.overage_allowed : false,
  };
  const mismatches: Mismatch[] = [];
  for (const key of BALANCE_KEYS) {
    if (expected[key] === undefined) continue;
    if (!sameValue(expected[key], actual[key])) mismatches.push({ key, expected: expected[key], actual: actual[key] });
  }
  return { actual, mismatches };
}

function expectEntities(engine: Engine, customerId: string, expected: EntitiesExpectation): ExpectationOutcome {
  const { feature, count } = expected.entities;
  if (!(feature in engine.getCatalog().features)) {
    throw new AtmnError('feature_not_found', `Feature '${feature}' is not defined. Check the id against the config.`);
  }
  const live = engine.entities(customerId).filter((e) => e.feature_id === feature);
  const actual = { count: live.length, ids: live.map((e) => e.id) };
  return { actual, mismatches: live.length === count ? [] : [{ key: 'count', expected: count, actual: live.length }] };
}

function expectInvoice(engine: Engine, customerId: string, expected: InvoiceExpectation, book: PeriodBook): ExpectationOutcome {
  const { period, total, lines } = expected.invoice;
  if (book.periods === null) {
    return { actual: {}, mismatches: [{ key: 'period', expected: period, actual: `no period: customer '${customerId}' never attached a plan with a recurring price` }] };
  }
  const now = engine.now(customerId);
  const ended = lastEndedPeriod(book.periods, now);
  const n = period === 'last' ? ended : period;
  if (n === 0 || n > ended) {
    const waiting = n === 0 ? 1 : n;
    const { end } = periodBounds(book.periods, waiting);
    return {
      actual: { last_ended_period: ended },
      mismatches: [{ key: 'period', expected: period, actual: `period ${waiting} has not ended yet: it ends ${formatShortInstant(end)} and the clock is at ${formatShortInstant(now)}` }],
    };
  }
  const { start, end } = periodBounds(book.periods, n);
  const all = engine.invoices(customerId).flatMap((invoice) => invoice.lines);
  const selected = linesOfPeriod(all, book.periods, n, book.attachmentSeq);
  const actualTotal = linesTotal(selected);
  const actualLines = selected.map(lineFacts);
  const actual = { period: n, period_start: start, period_end: end, total: actualTotal, lines: actualLines };

  const mismatches: Mismatch[] = [];
  if (total !== undefined && !sameValue(total, actualTotal)) mismatches.push({ key: 'total', expected: total, actual: actualTotal });
  if (lines !== undefined) {
    if (lines.length !== actualLines.length) {
      mismatches.push({ key: 'lines', expected: `${lines.length} line${lines.length === 1 ? '' : 's'}`, actual: `${actualLines.length} line${actualLines.length === 1 ? '' : 's'}` });
    } else {
      lines.forEach((line, index) => {
        const facts = actualLines[index]!;
        for (const key of ['kind', 'feature', 'entity', 'quantity', 'amount'] as const) {
          if (line[key] === undefined) continue;
          if (!sameValue(line[key], facts[key])) mismatches.push({ key: `lines[${index}].${key}`, expected: line[key], actual: facts[key] });
        }
      });
    }
  }
  return { actual, mismatches };
}

/** The keys an invoice line expectation can name, read off an engine line. */
export function lineFacts(line: InvoiceLine): { kind: string; feature: string | null; entity: string | null; quantity: number; amount: number } {
  return { kind: line.kind, feature: line.feature_id, entity: line.entity_id, quantity: line.quantity, amount: line.amount };
}

/** Numbers agree at 6 decimals half-even; null matches only null; everything else by identity. */
function sameValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return sameAt6dp(expected, actual);
  return expected === actual;
}
