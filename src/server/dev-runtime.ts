import type { Engine } from '../engine/index.ts';
import { AtmnError } from '../errors.ts';
import type { EngineStore } from '../store/engine-store.ts';
import type { EngineOp, EngineOpKind, EnvironmentState, OpResults } from '../store/engine-ops.ts';
import type { CatalogState } from './catalog-state.ts';
import type { Environment } from './router.ts';

export interface Organization {
  id: string;
  name: string;
  slug: string;
  createdAt: number;
}

export interface DevRuntimeOptions {
  store: EngineStore;
  catalogs: Record<Environment, CatalogState>;
  /** Saves one environment's catalog (atomically) after a catalog write. */
  persistCatalog: (env: Environment, catalog: CatalogState) => void;
  /** The wall clock (injected: the server's only clock). */
  wallClock: () => number;
  organization: Organization;
  version: string;
}

/** Who holds which plan (any version, and per version) and which features have balances. */
export interface Holders {
  plans: Map<string, number>;
  /** Keyed by versionKey(plan id, version). */
  planVersions: Map<string, number>;
  features: Map<string, number>;
}

/** Customers and entities holding this version of the plan. */
export function versionHolders(holders: Holders, planId: string, version: number): number {
  return holders.planVersions.get(versionKey(planId, version)) ?? 0;
}

function versionKey(planId: string, version: number): string {
  return `${planId}@${version}`;
}

/**
 * The dev server's state, shared by every route: the durable engines, the catalogs, and
 * the customers' clocks (semantics R7.1, wire.md §5.7). A customer whose clock is not
 * frozen follows the wall clock: before a request reads it, it is moved forward when a
 * boundary, reset or expiry is due (journaled, so replay crosses it at the same instant);
 * every state-changing op carries the instant it ran at.
 */
export class DevRuntime {
  readonly organization: Organization;
  readonly version: string;
  private readonly store: EngineStore;
  private readonly catalogs: Record<Environment, CatalogState>;
  private readonly persist: DevRuntimeOptions['persistCatalog'];
  private readonly wallClock: () => number;
  /** env + customer → the earliest instant at which something is due (cache). */
  private readonly due = new Map<string, number>();
  /** Called after an op that may change who holds which plan (the server saves holders.json). */
  onHoldersChanged: () => void = () => {};

  constructor(options: DevRuntimeOptions) {
    this.store = options.store;
    this.catalogs = options.catalogs;
    this.persist = options.persistCatalog;
    this.wallClock = options.wallClock;
    this.organization = options.organization;
    this.version = options.version;
  }

  state(env: Environment): EnvironmentState {
    return this.store.states[env];
  }

  engine(env: Environment): Engine {
    return this.store.states[env].engine;
  }

  catalog(env: Environment): CatalogState {
    return this.catalogs[env];
  }

  wallNow(): number {
    return this.wallClock();
  }

  /** The instant a request for this customer runs at: its frozen test clock, else the wall clock. */
  clockFor(env: Environment, customerId: string): number {
    const { engine, frozen } = this.store.states[env];
    if (!engine.hasCustomer(customerId)) return this.wallClock();
    const own = engine.now(customerId);
    return frozen.has(customerId) ? own : Math.max(own, this.wallClock());
  }

  /**
   * Before a read: customer_not_found if unknown; otherwise brings the clock up to the wall
   * clock when something is due. Returns a promise only when that advance had to be journaled.
   */
  refresh(env: Environment, customerId: string): Promise<void> | undefined {
    const { engine, frozen } = this.store.states[env];
    if (!engine.hasCustomer(customerId)) throw customerNotFound(customerId);
    if (frozen.has(customerId)) return undefined;
    const now = this.wallClock();
    if (now < this.dueAt(env, customerId)) return undefined;
    return this.run({ op: 'advance', env, customerId, to: now }).then(() => undefined);
  }

  /** Applies and journals a state-changing op (see EngineStore.run). */
  run<K extends EngineOpKind>(op: Extract<EngineOp, { op: K }>, keepRefused?: (error: AtmnError) => boolean): Promise<OpResults[K]> {
    const customerId = customerOf(op);
    const settle = () => {
      if (customerId !== null) this.afterOp(op, customerId);
    };
    try {
      const pending = this.store.run(op, keepRefused);
      settle();
      return pending;
    } catch (error) {
      settle();
      throw error;
    }
  }

  /** Applies an op and journals it only when `changed(result)` says it changed state (a check). */
  runIfChanged<K extends EngineOpKind>(op: Extract<EngineOp, { op: K }>, changed: (result: OpResults[K]) => boolean): OpResults[K] | Promise<OpResults[K]> {
    const result = this.store.apply(op);
    if (!changed(result)) return result;
    const customerId = customerOf(op);
    if (customerId !== null) this.afterOp(op, customerId);
    return this.store.commit(op).then(() => result);
  }

  /**
   * A catalog write: `mutate` validates and changes the catalog (throwing before any change
   * on bad input), then the catalog is saved and the engine switched to it (journaled).
   */
  async writeCatalog<T>(env: Environment, mutate: (catalog: CatalogState, now: number) => T): Promise<T> {
    const catalog = this.catalogs[env];
    const result = mutate(catalog, this.wallClock());
    this.persist(env, catalog);
    await this.store.run({ op: 'set_catalog', env, catalog: catalog.latest() });
    return result;
  }

  /** Holders per plan id, per plan version (`id@version`) and per feature (semantics R1.5, wire.md §3.1). */
  holders(env: Environment): Holders {
    const { engine, attachments: meta } = this.store.states[env];
    const plans = new Map<string, number>();
    const planVersions = new Map<string, number>();
    const features = new Map<string, number>();
    const catalog = this.catalogs[env];
    for (const customer of engine.listCustomers()) {
      const seen = new Set<string>();
      for (const a of engine.attachments(customer.id)) {
        plans.set(a.plan_id, (plans.get(a.plan_id) ?? 0) + 1);
        const version = meta.get(a.id)?.version ?? 1;
        const key = versionKey(a.plan_id, version);
        planVersions.set(key, (planVersions.get(key) ?? 0) + 1);
        const plan = catalog.hasPlan(a.plan_id) ? catalog.versions(a.plan_id).find((v) => v.version === version)?.plan : undefined;
        for (const item of plan?.items ?? []) seen.add(item.featureId);
      }
      for (const featureId of seen) features.set(featureId, (features.get(featureId) ?? 0) + 1);
    }
    return { plans, planVersions, features };
  }

  private afterOp(op: EngineOp, customerId: string): void {
    if (HOLDER_OPS.has(op.op)) this.onHoldersChanged();
    const key = `${op.env}\0${customerId}`;
    // Only these change what is due next; a track or check never moves a boundary.
    if (op.op !== 'track' && op.op !== 'check') this.due.delete(key);
    else if ('now' in op && op.now >= (this.due.get(key) ?? Infinity)) this.due.delete(key);
  }

  private dueAt(env: Environment, customerId: string): number {
    const key = `${env}\0${customerId}`;
    let due = this.due.get(key);
    if (due === undefined) {
      due = nextDue(this.store.states[env].engine, customerId);
      this.due.set(key, due);
    }
    return due;
  }
}

const HOLDER_OPS = new Set<EngineOpKind>(['create_customer', 'delete_customer', 'attach', 'detach', 'delete_entity']);

/** The earliest period boundary, reset or rollover expiry of a customer (Infinity if none). */
function nextDue(engine: Engine, customerId: string): number {
  let due = Infinity;
  for (const a of engine.attachments(customerId)) {
    if (a.current_period_end !== null && a.current_period_end < due) due = a.current_period_end;
  }
  for (const view of Object.values(engine.balances(customerId))) {
    if (view.next_reset_at !== null && view.next_reset_at < due) due = view.next_reset_at;
    for (const r of view.rollovers) if (r.expires_at !== null && r.expires_at < due) due = r.expires_at;
  }
  return due;
}

function customerOf(op: EngineOp): string | null {
  switch (op.op) {
    case 'create_customer':
      return op.req.id;
    case 'delete_customer':
    case 'advance':
    case 'freeze':
      return op.customerId;
    case 'set_catalog':
      return null;
    default:
      return op.req.customerId;
  }
}

export function customerNotFound(customerId: string): AtmnError {
  return new AtmnError('customer_not_found', `Customer '${customerId}' does not exist. Create it before calling check, track or entities.`, {
    hint: 'Create it with POST /v1/customers.get_or_create (autumn.customers.getOrCreate).',
    details: { customer_id: customerId },
  });
}
