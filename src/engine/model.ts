/**
 * The engine's runtime records. They are mutable and private to src/engine; results handed
 * out are always fresh plain objects (see view.ts), and snapshot.ts turns these into JSON.
 */
import type { Item, Plan, Rollover } from '../catalog/schema.ts';
import type { IntervalUnit } from './calendar.ts';
import type { Q } from './decimal.ts';
import type { EventLog } from './events.ts';
import type { BillingKind, Invoice, ResetInfo } from './types.ts';

/** A periodic schedule: boundary k of `count × interval` from `anchor`; `at` is boundary k. */
export interface Timer {
  anchor: number;
  interval: IntervalUnit;
  count: number;
  k: number;
  at: number;
  /** Start of the current period: boundary k − 1, or the attach instant of a shortened first period. */
  periodStart: number;
}

export interface RolloverRec {
  granted: Q;
  balance: Q;
  createdAt: number;
  expiresAt: number | null;
}

/** One amount-carrying balance: a pool or entity-attached balance, or one slice. */
export interface Cell {
  id: string;
  seq: number;
  grant: Grant;
  /** The slice's entity, or the owner entity of an entity-attached balance; null for the pool. */
  entity: EntityRec | null;
  balance: Q;
  /** Usage counter of an unlimited balance (R5.10). */
  counter: Q;
  /** Sorted in walk order (R5.6): earliest expiry first, never-expiring last, then oldest. */
  rollovers: RolloverRec[] | null;
  /** Index in its slice group (slices only). */
  pos: number;
}

/**
 * The slices of one per-entity item of one attachment, in entity order (R5.13). The cursors
 * are lower bounds that keep customer-level walks from rescanning drained slices: no slice
 * before `posCursor` has anything positive (balance or rollover), none before `floorCursor`
 * has room above its overage floor, none before `notFullCursor` is below its grant.
 */
export interface SliceGroup {
  grant: Grant;
  slices: Cell[];
  posCursor: number;
  floorCursor: number;
  notFullCursor: number;
  /** Number of slices with a negative balance (refund pass 1, R5.11). */
  negCount: number;
}

/** The bookkeeping of one non-boolean item of one attachment (R1.6). */
export interface Grant {
  attachment: AttachmentRec;
  itemIndex: number;
  item: Item;
  featureId: string;
  /** Attachment scope: customer-owned (pool/slices) or entity-attached. */
  scope: 'customer' | 'entity';
  entityFeatureId: string | null;
  billing: BillingKind;
  unlimited: boolean;
  nonConsumable: boolean;
  included: Q;
  prepaid: Q;
  /** included + prepaid; per slice for per-entity items. */
  granted: Q;
  /** The price's maxPurchase (R2.6); null = no cap. */
  maxPurchase: Q | null;
  reset: ResetInfo | null;
  resetTimer: Timer | null;
  rollover: Rollover | null;
  cell: Cell | null;
  group: SliceGroup | null;
  /** R5.5 keys 2–8, precomputed. */
  rank: GrantRank;
}

export interface GrantRank {
  lifetime: number;
  periodMinutes: number;
  addOn: number;
  usageBased: number;
  attachedAt: number;
  attachSeq: number;
  itemIndex: number;
}

export interface FlagRec {
  attachment: AttachmentRec;
  itemIndex: number;
  featureId: string;
  entityFeatureId: string | null;
  id: string;
}

/** A billing schedule of one priced component (base price or one item). */
export interface BillingTimer {
  kind: 'base' | 'prepaid' | 'usage' | 'seats';
  itemIndex: number | null;
  timer: Timer;
}

export interface AttachmentRec {
  id: string;
  seq: number;
  plan: Plan;
  customer: CustomerRec;
  entity: EntityRec | null;
  attachedAt: number;
  anchor: number;
  /** Prepaid units (packs × billingUnits) per item index (R2.5). */
  prepaidUnits: Map<number, Q>;
  grants: Grant[];
  flags: FlagRec[];
  billing: BillingTimer[];
  recurring: { interval: IntervalUnit; count: number } | null;
  /** Period of the recurring price, for listings. */
  recurringTimer: Timer | null;
}

export interface EntityRec {
  id: string;
  name: string | null;
  featureId: string;
  createdAt: number;
  seq: number;
  customer: CustomerRec;
  slices: Cell[];
  attachments: AttachmentRec[];
  /** The last walk built, for the feature most tracked on this entity (skips a Map lookup). */
  lastWalk: EntityWalk | null;
  /**
   * Inline copy of the last walk when the entity has exactly one own cell of that feature and
   * nothing is unlimited: an entity-level track then reads the entity and its cell only
   * (random entities are cold in memory; every object hop is a cache miss).
   */
  fastFeature: string | null;
  fastVersion: number;
  fastCell: Cell | null;
  fastEntry: WalkEntry | null;
  fastPool: WalkEntry[] | null;
  walkCache: Map<string, EntityWalk> | null;
}

export interface WalkEntry {
  grant: Grant;
  /** 1 for the tracked feature's own grants, else the credit cost (R5.12). */
  cost: Q;
  isOwn: boolean;
}

/** The customer-level walk for one feature (R5.3–R5.5). */
export interface CustomerWalk {
  version: number;
  /** Pool grants, sorted. */
  pool: WalkEntry[];
  /** Per-entity grants (slice groups), sorted; walked source by source. */
  sources: WalkEntry[];
  hasUnlimited: boolean;
}

/** An entity-level walk: tier 1 is the entity's own cells; tier 2 is the customer pool. */
export interface EntityWalk {
  version: number;
  featureId: string;
  own: { cell: Cell; entry: WalkEntry }[];
  /** The common case of one own cell, kept inline so a track touches fewer objects. */
  cell0: Cell | null;
  entry0: WalkEntry | null;
  pool: WalkEntry[];
  hasUnlimited: boolean;
}

export interface CustomerRec {
  id: string;
  name: string | null;
  email: string | null;
  createdAt: number;
  now: number;
  /** Live entities by id; Map order is creation order (a re-created id goes last, R3.9). */
  entities: Map<string, EntityRec>;
  entitySeq: number;
  /** Active attachments, in attach order. */
  attachments: AttachmentRec[];
  liveCount: Map<string, number>;
  /** Net applied amount tracked directly on a non-consumable feature (R3.4). */
  seatTracked: Map<string, Q>;
  events: EventLog;
  /** key → accepted instant (R5.14). */
  idempotency: Map<string, number>;
  invoices: Invoice[];
  /** Bumped on every attach and attachment end; walk caches compare it. */
  version: number;
  walks: Map<string, CustomerWalk>;
  /** Set once any cell holds a rollover, so clock moves skip the rollover scan until then. */
  hasRollovers: boolean;
}
