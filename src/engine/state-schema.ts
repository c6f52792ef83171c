/**
 * The engine's persisted state (snapshot/restore): what `atmn dev` writes to disk. Quantities
 * are encoded exactly (decimal.ts `encode`): a scaled safe integer, or "n/d".
 */
import { z } from 'zod';
import { Plan } from '../catalog/schema.ts';

const Quantity = z.union([z.number(), z.string()]);

export const InvoiceLineSchema = z.object({
  kind: z.enum(['base', 'prepaid', 'usage', 'seats']),
  timing: z.enum(['advance', 'arrear']),
  plan_id: z.string(),
  attachment_id: z.string(),
  /** null for base lines. */
  feature_id: z.string().nullable(),
  /** null for base lines. */
  item_index: z.number().nullable(),
  /** Set on lines of an entity-level attachment (R6.3). */
  entity_id: z.string().nullable(),
  period_start: z.number(),
  period_end: z.number(),
  /** 1 for base; prepaid units; billable units for usage/seats (R8.1). */
  quantity: z.number(),
  /** Money, rounded to cents half away from zero (R8.8). */
  amount: z.number(),
  /** true when the amount is a time-prorated first period (R8.8). */
  prorated: z.boolean(),
});

export const InvoiceSchema = z.object({
  id: z.string(),
  customer_id: z.string(),
  created_at: z.number(),
  lines: z.array(InvoiceLineSchema),
  /** Σ of the rounded line amounts. */
  total: z.number(),
});

const TimerState = z.object({
  anchor: z.number(),
  interval: z.enum(['minute', 'hour', 'day', 'week', 'month', 'quarter', 'semi_annual', 'year']),
  count: z.number().int().positive(),
  k: z.number().int(),
  at: z.number(),
  periodStart: z.number(),
});

const RolloverState = z.object({ granted: Quantity, balance: Quantity, createdAt: z.number(), expiresAt: z.number().nullable() });

const CellState = z.object({
  id: z.string(),
  seq: z.number().int(),
  entityId: z.string().nullable(),
  balance: Quantity,
  counter: Quantity,
  rollovers: z.array(RolloverState),
});

const GrantState = z.object({
  itemIndex: z.number().int(),
  resetTimer: TimerState.nullable(),
  cell: CellState.nullable(),
  /** Slices in entity order; null for a grant without slices. */
  slices: z.array(CellState).nullable(),
});

const AttachmentState = z.object({
  id: z.string(),
  seq: z.number().int(),
  /** The plan as it was attached (semantics: attachments keep their definition). */
  plan: Plan,
  entityId: z.string().nullable(),
  attachedAt: z.number(),
  anchor: z.number(),
  prepaidUnits: z.array(z.tuple([z.number().int(), Quantity])),
  grants: z.array(GrantState),
  billing: z.array(z.object({ kind: z.enum(['base', 'prepaid', 'usage', 'seats']), itemIndex: z.number().int().nullable(), timer: TimerState })),
});

const EntityState = z.object({
  id: z.string(),
  name: z.string().nullable(),
  featureId: z.string(),
  createdAt: z.number(),
  seq: z.number().int(),
});

const CustomerState = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  createdAt: z.number(),
  now: z.number(),
  entitySeq: z.number().int(),
  /** Live entities in creation order. */
  entities: z.array(EntityState),
  /** Active attachments in attach order. */
  attachments: z.array(AttachmentState),
  seatTracked: z.record(z.string(), Quantity),
  events: z.array(z.tuple([z.number(), z.number(), z.string().nullable(), z.string(), Quantity, Quantity, z.string().nullable(),
    z.record(z.string(), z.unknown()).nullable(), z.number()])),
  idempotency: z.array(z.tuple([z.string(), z.number()])),
  invoices: z.array(InvoiceSchema),
});

export const EngineStateSchema = z.object({
  version: z.literal(1),
  entityOrder: z.enum(['created', 'id']),
  counters: z.object({ balance: z.number().int(), attachment: z.number().int(), invoice: z.number().int(), event: z.number().int() }),
  customers: z.array(CustomerState),
});
export type EngineState = z.infer<typeof EngineStateSchema>;
export type CustomerState = z.infer<typeof CustomerState>;
export type AttachmentState = z.infer<typeof AttachmentState>;
export type CellState = z.infer<typeof CellState>;
