import type { z } from 'zod';
import type { InvoiceLineSchema, InvoiceSchema } from './state-schema.ts';

/**
 * Public request and result types of the balance engine (spec/semantics.md).
 *
 * Conventions:
 * - Requests use camelCase (TypeScript callers); results use the snake_case field names that
 *   semantics.md §4, §5 and §8 define, so `atmn dev` can serve them as the wire shapes of
 *   wire.md §5 with little mapping, and `atmn simulate` can print them.
 * - Every time is epoch milliseconds (UTC). Every input quantity is a JS number or a decimal
 *   string ("0.1", "-3", "2.5e3"). Every output figure is a JS number rounded half-even to
 *   10 decimal places; money is in currency units rounded to cents (R8.8).
 * - Results are plain JSON-serializable data, detached from the engine's state.
 */

/** Input quantity: a finite JS number or a decimal string. */
export type Quantity = number | string;

/** Order of per-entity slices in customer-level walks (R5.13). */
export type EntityOrder = 'created' | 'id';

export interface EngineOptions {
  /** 'created' (default): first-created entity first. 'id': ascending entity id (hosted Autumn). */
  entityOrder?: EntityOrder;
}

export type OverageBehavior = 'cap' | 'reject';

export interface EntityData {
  featureId: string;
  name?: string | null;
}

// ---------------------------------------------------------------- requests

export interface CreateCustomerRequest {
  id: string;
  name?: string | null;
  email?: string | null;
  /** The customer's clock starts here (R7.1). */
  now: number;
  /**
   * Which plans to attach at creation (wire.md §5.2, scenario.md "Customers"):
   * true (default) = every non-archived autoEnable plan in ascending plan id; false = none;
   * a plan id = only that plan.
   */
  autoEnable?: boolean | string;
}

export interface AttachRequest {
  customerId: string;
  planId: string;
  /** Attach to this live entity (entity-level attachment, §6). Never auto-creates. */
  entityId?: string | null;
  /** Prepaid items: the total balance wanted per feature id, included units counted (R2.5). */
  quantities?: Record<string, Quantity>;
}

export interface DetachRequest {
  customerId: string;
  planId: string;
  entityId?: string | null;
}

export interface CreateEntitiesRequest {
  customerId: string;
  /** All-or-nothing (R3.1). */
  entities: { id: string; featureId: string; name?: string | null }[];
}

export interface DeleteEntityRequest {
  customerId: string;
  entityId: string;
}

export interface CheckRequest {
  customerId: string;
  featureId: string;
  entityId?: string | null;
  /** Default 1; a finite decimal ≥ 0 (R4.1). */
  requiredBalance?: Quantity;
  entityData?: EntityData | null;
  /** Allowed checks then track `requiredBalance` with reject (R4.6). */
  sendEvent?: boolean;
  /** Stored on the event when sendEvent is set. */
  properties?: Record<string, unknown> | null;
}

export interface TrackRequest {
  customerId: string;
  featureId: string;
  entityId?: string | null;
  /** Default 1; negative = refund; 0 only records the event (R5.1). */
  value?: Quantity;
  overageBehavior?: OverageBehavior;
  idempotencyKey?: string | null;
  /**
   * Further keys checked and claimed together with `idempotencyKey`, with the same lifetime
   * (wire.md §6.1: a body key and a different `Idempotency-Key` header are both claimed).
   */
  alsoClaim?: readonly string[] | null;
  properties?: Record<string, unknown> | null;
  entityData?: EntityData | null;
  /** Labels the event only (wire.md §5.5); must not be later than the customer's clock. Default: the clock. */
  timestamp?: number | null;
}

export interface TrackOptions {
  /**
   * Compute `balance` and `credit_balances` (the R4.4 view after the deduction). Default true.
   * A customer-level view lists every slice, so it costs O(entities); callers that only need
   * `applied` and `deductions` (bulk loads, benchmarks) pass false and get `balance: null`.
   */
  view?: boolean;
}

// ---------------------------------------------------------------- results

export interface CustomerInfo {
  id: string;
  name: string | null;
  email: string | null;
  created_at: number;
  /** The customer's clock (R7.1). */
  now: number;
}

export interface CreateCustomerResult {
  customer: CustomerInfo;
  attachments: AttachmentInfo[];
  /** Invoices of the autoEnable attaches that bill (R8.2). */
  invoices: Invoice[];
}

export interface EntityInfo {
  id: string;
  name: string | null;
  customer_id: string;
  feature_id: string;
  created_at: number;
  /** Creation sequence number, per customer, never reused (R1.2). */
  seq: number;
}

export interface AttachmentInfo {
  id: string;
  plan_id: string;
  customer_id: string;
  entity_id: string | null;
  scope: 'customer' | 'entity';
  add_on: boolean;
  auto_enable: boolean;
  group: string | null;
  attached_at: number;
  seq: number;
  /** Anchor of its periods (R7.2). */
  anchor: number;
  /** Period of its recurring price containing the clock; null without a recurring price. */
  current_period_start: number | null;
  current_period_end: number | null;
  /** Prepaid units bought per feature id (packs × billingUnits, R2.5). */
  prepaid: Record<string, number>;
}

export interface SeatWarning {
  code: 'seats_over_included';
  feature_id: string;
  in_use: number;
  included: number;
}

export interface CreateEntitiesResult {
  entities: EntityInfo[];
  warnings: SeatWarning[];
}

export interface AttachResult {
  attachment: AttachmentInfo;
  /** Attachments ended first by a switch within a plan group (R6.4). */
  ended: AttachmentInfo[];
  /** The one invoice of this operation (R8.1), or null when nothing bills. */
  invoice: Invoice | null;
}

export interface DetachResult {
  ended: AttachmentInfo;
  invoice: Invoice | null;
}

export interface DeleteEntityResult {
  entity: EntityInfo;
  /** Arrears of the entity's own plans (R3.8 step 3), or null. */
  invoice: Invoice | null;
}

export interface AdvanceResult {
  customer_id: string;
  from: number;
  to: number;
  /** One invoice per processed instant that billed (R8.1), in time order. */
  invoices: Invoice[];
}

export type BillingKind = 'free' | 'prepaid' | 'usage_based';
export type BalanceOwner = 'customer' | 'slice' | 'entity';

export interface ResetInfo {
  interval: string;
  interval_count: number;
}

export interface RolloverView {
  granted: number;
  balance: number;
  created_at: number;
  expires_at: number | null;
}

/** Figures of one slice inside an aggregated breakdown entry (customer-level view). */
export interface SliceFigures {
  balance_id: string;
  entity_id: string;
  granted: number;
  remaining: number;
  usage: number;
  /** The slice's raw balance (may be negative for usage_based overage). */
  balance: number;
  rollovers: RolloverView[];
}

/** One balance source of a view (R4.4), in walk order. */
export interface BreakdownEntry {
  /** Balance id, or `<attachment id>:<item index>` for aggregated slices. */
  balance_id: string;
  plan_id: string;
  attachment_id: string;
  item_index: number;
  feature_id: string;
  owner: BalanceOwner;
  /** null for the pool and for aggregated slices. */
  entity_id: string | null;
  billing: BillingKind;
  included_grant: number;
  prepaid_grant: number;
  granted: number;
  remaining: number;
  usage: number;
  /** The raw balance (sum of slices for an aggregate); negative under overage. */
  balance: number;
  unlimited: boolean;
  reset: ResetInfo | null;
  next_reset_at: number | null;
  expires_at: number | null;
  overage_allowed: boolean;
  max_purchase: number | null;
  /** false for entity-attached entries in a customer-level view. */
  deductible: boolean;
  rollovers: RolloverView[];
  /** Only on aggregated slice entries (customer view): one per live entity, in entity order. */
  entities?: SliceFigures[];
}

/** The R4.4 view of one feature for one subject. */
export interface BalanceView {
  feature_id: string;
  granted: number;
  remaining: number;
  usage: number;
  unlimited: boolean;
  overage_allowed: boolean;
  max_purchase: number | null;
  next_reset_at: number | null;
  breakdown: BreakdownEntry[];
  /** Every rollover of the view, flattened (wire.md Balance.rollovers). */
  rollovers: RolloverView[];
}

export interface FlagView {
  id: string;
  plan_id: string;
  feature_id: string;
  expires_at: number | null;
}

/** R4.5: a credit system containing the checked feature, in credits. */
export interface CreditBalance {
  feature_id: string;
  granted: number;
  remaining: number;
  usage: number;
  credit_cost: number;
}

export interface CheckResult {
  allowed: boolean;
  customer_id: string;
  entity_id: string | null;
  feature_id: string;
  required_balance: number;
  /** null for boolean features and when nothing visible grants the feature (R4.3). */
  balance: BalanceView | null;
  flag: FlagView | null;
  credit_balances: CreditBalance[];
  /** The same credit systems as full views, keyed by feature id (wire.md §5.4 `balances`). */
  credit_views: Record<string, BalanceView | null>;
  entity_created?: true;
  /** Set when sendEvent tracked (R4.6). */
  track?: TrackResult;
}

export interface Deduction {
  balance_id: string;
  feature_id: string;
  plan_id: string;
  owner: BalanceOwner;
  entity_id: string | null;
  /** In the grant's units (credits for a credit system); positive taken, negative restored. */
  amount: number;
  /** true when the amount went to or came from a rollover of this balance. */
  rollover: boolean;
  reset: ResetInfo | null;
  next_reset_at: number | null;
}

export interface TrackResult {
  customer_id: string;
  entity_id: string | null;
  feature_id: string;
  /** As requested (R5.15). */
  value: number;
  /** Actually deducted, in units of the feature (negative for a refund). */
  applied: number;
  /** The R4.4 view after the deduction; null when not requested or nothing is visible. */
  balance: BalanceView | null;
  credit_balances: CreditBalance[];
  deductions: Deduction[];
  event_id: string;
  entity_created?: true;
}

export interface EngineEvent {
  id: string;
  source: 'track' | 'entity';
  customer_id: string;
  entity_id: string | null;
  feature_id: string;
  value: number;
  applied: number;
  idempotency_key: string | null;
  properties: Record<string, unknown> | null;
  timestamp: number;
}

export type InvoiceLineKind = InvoiceLine['kind'];
/** R8.1 invoice line; declared once as a zod schema (state-schema.ts) because snapshots carry invoices. */
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;
export type Invoice = z.infer<typeof InvoiceSchema>;
