import type { Catalog } from '../catalog/schema.ts';
import { createEngine, type AttachmentInfo, type Engine, type Invoice } from '../engine/index.ts';
import { AtmnError, isAtmnError } from '../errors.ts';
import { balanceChanges, snapshotBalances, type BalanceSnapshot } from './balance-changes.ts';
import { evaluateExpectation } from './expectations.ts';
import type { CustomerFinalState, ScenarioRun, StepError, StepRecord, StepResult } from './ledger.ts';
import { recurringPrice, type PeriodClock } from './periods.ts';
import { actionOf, type AdvanceAction, type Scenario, type Step } from './schema.ts';
import { ownFigures } from './own-figures.ts';
import { addDuration, formatInstant, parseDuration, parseInstant } from './time.ts';

/**
 * Runs a scenario against a catalog on a fresh engine (spec/scenario.md). Pure: the
 * engine is pure and the clock comes from the scenario. A failed expectation is recorded
 * and the run goes on; a failed action stops it and the later steps are `skipped`.
 */
export interface RunInput {
  scenario: Scenario;
  catalog: Catalog;
  name: string;
  file: string | null;
  configFile: string;
}

/** Per customer: what the runner learns from attach results (R8.1 order, service periods). */
export interface CustomerBook {
  id: string;
  periods: PeriodClock | null;
  attachmentSeq: Map<string, number>;
}

export function runScenario(input: RunInput): ScenarioRun {
  const { scenario, catalog } = input;
  const engine = createEngine(catalog, { entityOrder: scenario.entityOrder });
  const start = parseInstant(scenario.start)!;
  const books = new Map<string, CustomerBook>();

  const noteAttachment = (attachment: AttachmentInfo) => {
    const book = books.get(attachment.customer_id);
    if (!book) return;
    book.attachmentSeq.set(attachment.id, attachment.seq);
    const plan = catalog.plans[attachment.plan_id];
    const price = plan ? recurringPrice(plan) : null;
    if (book.periods === null && price) book.periods = { anchor: attachment.attached_at, price };
  };

  const setup: ScenarioRun['setup'] = [];
  for (const id of customersOf(scenario)) {
    books.set(id, { id, periods: null, attachmentSeq: new Map() });
    // autoEnable plans, in ascending plan id (scenario.md "Customers", wire.md §5.2).
    const created = engine.createCustomer({ id, now: start });
    created.attachments.forEach(noteAttachment);
    setup.push({ customer: id, plans: created.attachments.map((a) => a.plan_id), invoices: created.invoices });
  }

  // The balances of each customer as the last step left them: the next step's "before".
  const current = new Map([...books.keys()].map((id) => [id, snapshotBalances(engine, id)]));
  // How many invoices and events each customer had after the last step, so a step reads only
  // its own (reading the whole lists every step made long runs quadratic).
  const seen = new Map([...books.keys()].map((id) => [id, { invoices: engine.invoices(id).length, events: engine.events(id).length }]));
  let clock = start;
  let stopped = false;
  const steps: StepRecord[] = [];
  scenario.steps.forEach((step, index) => {
    const customer = step.customer ?? scenario.customer;
    const record: StepRecord = {
      number: index + 1, action: actionOf(step), customer, step, status: 'skipped', at: clock,
      result: null, error: null, failure: null, mismatches: [], invoices: [], events: [], changes: [], warnings: [],
    };
    steps.push(record);
    if (stopped) return;

    try {
      record.result = perform(engine, step, customer, clock, books);
      if (record.result.action === 'advance') clock = record.result.to;
      if (record.result.action === 'attach') [...record.result.attach.ended, record.result.attach.attachment].forEach(noteAttachment);
      if (record.result.action === 'createEntity') record.warnings = record.result.createEntity.warnings;
      if (record.result.action === 'expect') record.mismatches = record.result.mismatches;
    } catch (error) {
      record.error = toStepError(error);
    }
    collectEffects(engine, record, seen, current);
    judge(record, step);
    if (record.status === 'failed' && record.action !== 'expect') stopped = true;
  });

  const customers = [...books.values()].map((book) => finalState(engine, book));
  return {
    scenario, name: input.name, file: input.file, configFile: input.configFile,
    status: steps.some((s) => s.status === 'failed') ? 'failed' : 'passed',
    start, end: clock, setup, steps, customers,
  };
}

/** Every customer the scenario names, top-level first, then in order of first mention. */
function customersOf(scenario: Scenario): string[] {
  const ids = [scenario.customer];
  for (const step of scenario.steps) if (step.customer !== undefined && !ids.includes(step.customer)) ids.push(step.customer);
  return ids;
}

function perform(engine: Engine, step: Step, customerId: string, clock: number, books: Map<string, CustomerBook>): StepResult {
  if ('attach' in step) {
    const { plan, entity, quantities } = step.attach;
    return { action: 'attach', attach: engine.attach({ customerId, planId: plan, entityId: entity ?? null, ...(quantities ? { quantities } : {}) }) };
  }
  if ('detach' in step) return { action: 'detach', detach: engine.detach({ customerId, planId: step.detach.plan, entityId: step.detach.entity ?? null }) };
  if ('createEntity' in step) {
    const { id, feature, name } = step.createEntity;
    const created = engine.createEntities({ customerId, entities: [{ id, featureId: feature, name: name ?? null }] });
    return { action: 'createEntity', createEntity: created, featureId: feature, inUse: liveCount(engine, customerId, feature) };
  }
  if ('deleteEntity' in step) {
    const deleted = engine.deleteEntity({ customerId, entityId: step.deleteEntity.id });
    const featureId = deleted.entity.feature_id;
    return { action: 'deleteEntity', deleteEntity: deleted, featureId, inUse: liveCount(engine, customerId, featureId) };
  }
  if ('track' in step) {
    const { feature, value, entity, idempotencyKey, overage } = step.track;
    return {
      action: 'track',
      track: engine.track({ customerId, featureId: feature, value, entityId: entity ?? null, idempotencyKey: idempotencyKey ?? null, ...(overage ? { overageBehavior: overage } : {}) }),
    };
  }
  if ('check' in step) {
    const { feature, entity, required } = step.check;
    return { action: 'check', check: engine.check({ customerId, featureId: feature, entityId: entity ?? null, requiredBalance: required }) };
  }
  if ('advance' in step) {
    const to = advanceTarget(step.advance, clock);
    // Every customer moves to the same instant, in customer creation order (R7.1).
    if (to > clock) for (const id of books.keys()) engine.advanceTo(id, to);
    return { action: 'advance', from: clock, to: Math.max(to, clock) };
  }
  const book = books.get(customerId)!;
  return { action: 'expect', ...evaluateExpectation(engine, customerId, step.expect, book) };
}

/** The instant an advance step reaches; an instant before the clock is invalid_input. */
function advanceTarget(advance: AdvanceAction, clock: number): number {
  if (typeof advance === 'string') {
    const to = addDuration(clock, parseDuration(advance)!);
    if (!(to <= LAST_INSTANT)) {
      throw new AtmnError('invalid_input', `advance "${advance}" would move the clock past ${formatInstant(LAST_INSTANT)}, the last instant a scenario can reach`, {
        hint: 'Advance by a shorter span; a scenario runs within the years 0000 to 9999.',
      });
    }
    return to;
  }
  const to = parseInstant(advance.to)!;
  if (to < clock) {
    throw new AtmnError('invalid_input', `advance to ${advance.to} is earlier than the clock (${formatInstant(clock)}); time only moves forward`, {
      hint: 'Use a later instant, or "N unit(s)" to move relative to the clock.',
    });
  }
  return to;
}

/** ISO 8601 instants as scenarios write them have four-digit years. */
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function liveCount(engine: Engine, customerId: string, featureId: string): number {
  return engine.entities(customerId).filter((e) => e.feature_id === featureId).length;
}

function toStepError(error: unknown): StepError {
  if (isAtmnError(error)) return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  const coded = error as { code?: unknown; message?: unknown };
  if (error instanceof Error && typeof coded.code === 'string') return { code: coded.code, message: error.message };
  // Not a user mistake: an engine bug. Recorded so the run stops with a readable row.
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal_error', message: `internal error in the engine: ${message}. Please report it.` };
}

/** Decides passed / failed (spec/scenario.md "Outcomes"). */
function judge(record: StepRecord, step: Step): void {
  const wanted = step.expectError;
  const error = record.error;
  if (wanted !== undefined) {
    if (error?.code === wanted) record.status = 'passed';
    else {
      record.status = 'failed';
      record.failure = error ? `expected error ${wanted}, got ${error.code}: ${error.message}` : `expected error ${wanted}, but the step succeeded`;
    }
    return;
  }
  if (error) {
    record.status = 'failed';
    record.failure = `${error.code}: ${error.message}`;
    return;
  }
  if (record.mismatches.length > 0) {
    record.status = 'failed';
    record.failure = record.mismatches.map((m) => m.key).join(', ') + ' did not match';
    return;
  }
  record.status = 'passed';
}

function collectEffects(engine: Engine, record: StepRecord, seen: Map<string, { invoices: number; events: number }>, current: Map<string, BalanceSnapshot>): void {
  for (const [id, counts] of seen) {
    const invoices = engine.invoices(id, counts.invoices);
    const events = engine.events(id, counts.events);
    // Loops, not push(...list): one long advance can bill more invoices than a call takes arguments.
    for (const invoice of invoices) record.invoices.push(invoice);
    for (const event of events) record.events.push(event);
    counts.invoices += invoices.length;
    counts.events += events.length;
    // An expectation never changes state (scenario.md), so its balances need no second look.
    if (record.action === 'expect') continue;
    const after = snapshotBalances(engine, id);
    for (const change of balanceChanges(id, current.get(id)!, after)) record.changes.push(change);
    current.set(id, after);
  }
  record.invoices.sort((a: Invoice, b: Invoice) => a.created_at - b.created_at);
}

function finalState(engine: Engine, book: CustomerBook): CustomerFinalState {
  const entities = engine.entities(book.id);
  const entityBalances: CustomerFinalState['entityBalances'] = {};
  for (const entity of entities) entityBalances[entity.id] = ownFigures(engine.balances(book.id, entity.id), entity.id);
  return {
    id: book.id,
    now: engine.now(book.id),
    entities,
    balances: engine.balances(book.id),
    entityBalances,
    invoices: engine.invoices(book.id),
    events: engine.events(book.id),
    periods: book.periods,
    attachmentSeq: book.attachmentSeq,
  };
}
