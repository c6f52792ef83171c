import type { Catalog } from '../catalog/schema.ts';
import { AtmnError } from '../errors.ts';
import { restoreEngine } from '../engine/index.ts';
import { RESET_HINT } from './journal.ts';
import type { Environment } from './state.ts';
import type {
  AttachRequest, CheckRequest, CreateCustomerRequest, CreateEntitiesRequest, DeleteEntityRequest, DetachRequest,
  Engine, TrackRequest,
} from '../engine/index.ts';


/**
 * One state change of the dev server's engines, as journaled (one JSON line each). Live
 * requests and journal replay both go through `applyOp`, so a replay repeats exactly what
 * the server did. `now` is the customer's clock when the op ran: the wall clock, or the
 * frozen test clock (wire.md §5.7); replay moves the clock there first, as the server did.
 */
export type EngineOp =
  | { op: 'create_customer'; env: Environment; req: CreateCustomerRequest; profile: CustomerProfile; /** latest version of each plan, for the auto-enabled attachments */ versions: Record<string, number> }
  | { op: 'delete_customer'; env: Environment; customerId: string }
  | { op: 'attach'; env: Environment; now: number; req: AttachRequest; version: number; subscriptionId: string | null; /** set when attaching a non-latest version */ plan?: Catalog['plans'][string] }
  | { op: 'detach'; env: Environment; now: number; req: DetachRequest }
  | { op: 'create_entities'; env: Environment; now: number; req: CreateEntitiesRequest }
  | { op: 'delete_entity'; env: Environment; now: number; req: DeleteEntityRequest }
  /** `alsoClaim`: further idempotency keys of the request, claimed with `req.idempotencyKey` (wire.md §6.1). */
  | { op: 'track'; env: Environment; now: number; req: TrackRequest; alsoClaim?: string[] }
  | { op: 'check'; env: Environment; now: number; req: CheckRequest }
  /** A track by an event name that several features list (wire.md §5.5): one request, in ascending feature id. */
  | { op: 'track_event'; env: Environment; now: number; req: Omit<TrackRequest, 'featureId'>; featureIds: string[]; alsoClaim?: string[] }
  /** The clock crossed something due while serving a read (R7.1): journaled so replay crosses it at the same instant. */
  | { op: 'advance'; env: Environment; customerId: string; to: number }
  /** customers.advance_test_clock: move and freeze (wire.md §5.7). */
  | { op: 'freeze'; env: Environment; customerId: string; to: number }
  | { op: 'set_catalog'; env: Environment; catalog: Catalog };

export type EngineOpKind = EngineOp['op'];

/** Customer fields the engine does not model, kept for the wire (wire.md §5.1). */
export interface CustomerProfile {
  fingerprint: string | null;
  metadata: Record<string, unknown>;
  send_email_receipts: boolean;
}

/** Per attachment: the plan version it was made with, and the caller's subscription id. */
export interface AttachmentMeta {
  version: number;
  subscriptionId: string | null;
}

/** Per environment: the engine plus what the server keeps beside it. */
export interface EnvironmentState {
  engine: Engine;
  /** Customers whose clock is frozen by a test clock (wire.md §5.7). */
  frozen: Set<string>;
  profiles: Map<string, CustomerProfile>;
  /** Keyed by engine attachment id. */
  attachments: Map<string, AttachmentMeta>;
}

export type EngineStates = Record<Environment, EnvironmentState>;

/** Each op's result type, for typed callers. */
export interface OpResults {
  create_customer: ReturnType<Engine['createCustomer']>;
  delete_customer: null;
  attach: ReturnType<Engine['attach']>;
  detach: ReturnType<Engine['detach']>;
  create_entities: ReturnType<Engine['createEntities']>;
  delete_entity: ReturnType<Engine['deleteEntity']>;
  track: ReturnType<Engine['track']>;
  check: ReturnType<Engine['check']>;
  track_event: ReturnType<Engine['track']>[];
  advance: ReturnType<Engine['advanceTo']>;
  freeze: ReturnType<Engine['advanceTo']>;
  set_catalog: null;
}

/** Applies one op to the engines. Throws what the engine throws (AtmnError for refusals). */
export function applyOp<K extends EngineOpKind>(states: EngineStates, op: Extract<EngineOp, { op: K }>): OpResults[K];
export function applyOp(states: EngineStates, op: EngineOp): OpResults[EngineOpKind] {
  const state = states[op.env];
  const { engine } = state;
  switch (op.op) {
    case 'create_customer': {
      const result = engine.createCustomer(op.req);
      state.profiles.set(op.req.id, op.profile);
      for (const a of result.attachments) state.attachments.set(a.id, { version: op.versions[a.plan_id] ?? 1, subscriptionId: null });
      return result;
    }
    case 'delete_customer': {
      const owned = engine.hasCustomer(op.customerId) ? engine.attachments(op.customerId) : [];
      engine.deleteCustomer(op.customerId);
      state.frozen.delete(op.customerId);
      state.profiles.delete(op.customerId);
      for (const a of owned) state.attachments.delete(a.id);
      return null;
    }
    case 'attach': {
      moveClock(engine, op.req.customerId, op.now);
      const result = op.plan ? withPlan(engine, op.plan, () => engine.attach(op.req)) : engine.attach(op.req);
      state.attachments.set(result.attachment.id, { version: op.version, subscriptionId: op.subscriptionId });
      return result;
    }
    case 'detach':
      moveClock(engine, op.req.customerId, op.now);
      return engine.detach(op.req);
    case 'create_entities':
      moveClock(engine, op.req.customerId, op.now);
      return engine.createEntities(op.req);
    case 'delete_entity':
      moveClock(engine, op.req.customerId, op.now);
      return engine.deleteEntity(op.req);
    case 'track':
      moveClock(engine, op.req.customerId, op.now);
      return engine.track(op.alsoClaim ? { ...op.req, alsoClaim: op.alsoClaim } : op.req, { view: true });
    case 'check':
      moveClock(engine, op.req.customerId, op.now);
      return engine.check(op.req);
    case 'track_event':
      moveClock(engine, op.req.customerId, op.now);
      return trackEach(state, op.alsoClaim ? { ...op.req, alsoClaim: op.alsoClaim } : op.req, op.featureIds);
    case 'advance':
      return engine.advanceTo(op.customerId, Math.max(op.to, engine.now(op.customerId)));
    case 'freeze': {
      const result = engine.advanceTo(op.customerId, op.to);
      state.frozen.add(op.customerId);
      return result;
    }
    case 'set_catalog':
      engine.setCatalog(op.catalog);
      return null;
  }
}

/** Validates the envelope of a journaled op before replay; the engine validates the rest. */
export function readOp(entry: unknown, line: number): { seq: number; op: EngineOp } {
  const e = entry as { seq?: unknown; op?: unknown; env?: unknown };
  if (typeof e !== 'object' || e === null || typeof e.seq !== 'number' || typeof e.op !== 'string' || !OP_KINDS.has(e.op) || (e.env !== 'sandbox' && e.env !== 'live')) {
    throw new AtmnError('state_corrupt', `Journal entry ${line} is not an engine operation.`, {
      hint: RESET_HINT,
    });
  }
  return { seq: e.seq, op: entry as EngineOp };
}

const OP_KINDS = new Set<string>([
  'create_customer', 'delete_customer', 'attach', 'detach', 'create_entities', 'delete_entity',
  'track', 'check', 'track_event', 'advance', 'freeze', 'set_catalog',
]);

/**
 * One track per feature, one idempotency claim (on the first). Under `reject` it is all or
 * nothing: when a later feature refuses, the engine is put back as it was before the first.
 */
function trackEach(state: EnvironmentState, req: Omit<TrackRequest, 'featureId'>, featureIds: string[]): ReturnType<Engine['track']>[] {
  const before = req.overageBehavior === 'reject' ? state.engine.snapshot() : null;
  const results: ReturnType<Engine['track']>[] = [];
  try {
    featureIds.forEach((featureId, index) => {
      const first = index === 0;
      results.push(state.engine.track({ ...req, featureId, idempotencyKey: first ? (req.idempotencyKey ?? null) : null, alsoClaim: first ? req.alsoClaim : null }, { view: true }));
    });
  } catch (error) {
    if (before && results.length > 0) {
      const { engine } = state;
      state.engine = restoreEngine(engine.getCatalog(), before, { entityOrder: engine.entityOrder });
    }
    throw error;
  }
  return results;
}

/** Moves a customer's clock to `now` when it is behind (it never moves back, R7.1). */
function moveClock(engine: Engine, customerId: string, now: number): void {
  if (engine.hasCustomer(customerId) && now > engine.now(customerId)) engine.advanceTo(customerId, now);
}

/** Attaches a historical plan version: the engine sees that definition for this one attach (wire.md §3.1). */
function withPlan<T>(engine: Engine, plan: Catalog['plans'][string], run: () => T): T {
  const catalog = engine.getCatalog();
  engine.setCatalog({ ...catalog, plans: { ...catalog.plans, [plan.id]: plan } });
  try {
    return run();
  } finally {
    engine.setCatalog(catalog);
  }
}
