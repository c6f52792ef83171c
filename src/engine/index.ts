/**
 * The balance engine (spec/semantics.md): customers, entities, balances, check/track, time,
 * resets, rollovers and invoices. Pure and deterministic: no I/O, no wall clock. Every
 * customer has its own clock, which only `createCustomer({now})` and `advanceTo` set.
 *
 * Errors are thrown as AtmnError (src/errors.ts) with the codes of semantics.md §10 and a
 * `details` object naming the ids involved (for insufficient_balance: requested, available).
 */
import type { Catalog } from '../catalog/schema.ts';
import type {
  AdvanceResult, AttachRequest, AttachResult, AttachmentInfo, BalanceView, CheckRequest, CheckResult,
  CreateCustomerRequest, CreateCustomerResult, CreateEntitiesRequest, CreateEntitiesResult, CustomerInfo,
  DeleteEntityRequest, DeleteEntityResult, DetachRequest, DetachResult, EngineEvent, EngineOptions, EntityInfo,
  EntityOrder, FlagView, Invoice, TrackOptions, TrackRequest, TrackResult,
} from './types.ts';
import type { EngineState } from './state-schema.ts';
import { EngineImpl } from './engine.ts';

export type * from './types.ts';
export type { EngineState } from './state-schema.ts';

export interface Engine {
  readonly entityOrder: EntityOrder;

  /** The catalog new attaches use. Existing attachments keep the plan they were attached with. */
  setCatalog(catalog: Catalog): void;
  getCatalog(): Catalog;

  /** Creates the customer with its clock at `now`, then attaches its autoEnable plans (wire.md §5.2). invalid_input if it exists. */
  createCustomer(request: CreateCustomerRequest): CreateCustomerResult;
  /** customer_not_found if unknown. */
  getCustomer(customerId: string): CustomerInfo;
  hasCustomer(customerId: string): boolean;
  /** In creation order. */
  listCustomers(): CustomerInfo[];
  /** Forgets the customer and everything it owns. customer_not_found if unknown. */
  deleteCustomer(customerId: string): void;

  /** R1.5, R2.5, R2.7, R3.7, R6.1, R6.4 (group switch), R7.2, R8.2. */
  attach(request: AttachRequest): AttachResult;
  /** R6.4: bills the partial period's arrears, removes the balances, re-spreads seats. */
  detach(request: DetachRequest): DetachResult;

  /** R3.1–R3.7; all-or-nothing. */
  createEntities(request: CreateEntitiesRequest): CreateEntitiesResult;
  /** R3.8. */
  deleteEntity(request: DeleteEntityRequest): DeleteEntityResult;

  /** §4. Changes nothing except an auto-created entity (R3.11) and sendEvent (R4.6). */
  check(request: CheckRequest): CheckResult;
  /** §5. */
  track(request: TrackRequest, options?: TrackOptions): TrackResult;

  /** R7.1: moves the customer's clock forward, processing every boundary and expiry on the way. */
  advanceTo(customerId: string, instant: number): AdvanceResult;
  /** The customer's clock. */
  now(customerId: string): number;

  /** Every invoice of the customer, oldest first; from index `from` on when given (a caller that follows the list reads only what is new). */
  invoices(customerId: string, from?: number): Invoice[];
  /** The event log (R1.9), oldest first; from index `from` on when given. */
  events(customerId: string, from?: number): EngineEvent[];
  /** Live entities, in entity order (R5.13). */
  entities(customerId: string): EntityInfo[];
  /** Active attachments (customer- and entity-level), in attach order. */
  attachments(customerId: string): AttachmentInfo[];
  /** The R4.4 view of every non-boolean feature visible to the subject, keyed by feature id (sorted). */
  balances(customerId: string, entityId?: string | null): Record<string, BalanceView>;
  /** Flags of boolean features visible to the subject, keyed by feature id. */
  flags(customerId: string, entityId?: string | null): Record<string, FlagView>;
  /** R8.9: the invoice the next boundary would produce now; changes nothing. null if none. */
  previewInvoice(customerId: string): Invoice | null;

  /** The whole state as plain JSON; restoreEngine(catalog, snapshot) gives an equal engine. */
  snapshot(): EngineState;
}

export function createEngine(catalog: Catalog, options: EngineOptions = {}): Engine {
  return new EngineImpl(catalog, options.entityOrder ?? 'created');
}

/** Rebuilds an engine from snapshot(); invalid state gives AtmnError('state_corrupt'). */
export function restoreEngine(catalog: Catalog, state: unknown, options: EngineOptions = {}): Engine {
  return EngineImpl.restore(catalog, state, options.entityOrder);
}

/** R7.3 calendar arithmetic, for callers that move clocks by months and count periods (scenario `advance`, invoice periods). */
export { addCalendarMonths, boundary as periodBoundary, firstBoundaryAfter } from './calendar.ts';
