/** The Engine facade: one Core, the operation modules, and the read models. */
import { ownEntry } from '../catalog/own-entry.ts';
import { compareIds } from '../catalog/order.ts';
import type { Catalog } from '../catalog/schema.ts';
import { attach, attachmentInfo, detach, liveEntity, requireCustomer } from './attach.ts';
import { advanceLine, arrearLine, linesTotal, sortLines, type SeqLine } from './billing.ts';
import { boundary } from './calendar.ts';
import { advanceTo } from './clock.ts';
import type { Core } from './core.ts';
import { createEntities, deleteEntity, entityInfo } from './entities.ts';
import { EventLog } from './events.ts';
import { invalidInput, shown } from './failures.ts';
import type { CustomerRec, EntityRec } from './model.ts';
import { restore, snapshot } from './snapshot.ts';
import type { EngineState } from './state-schema.ts';
import type {
  AdvanceResult, AttachRequest, AttachResult, AttachmentInfo, BalanceView, CheckRequest, CheckResult, CreateCustomerRequest,
  CreateCustomerResult, CreateEntitiesRequest, CreateEntitiesResult, CustomerInfo, DeleteEntityRequest, DeleteEntityResult,
  DetachRequest, DetachResult, EngineEvent, EntityInfo, EntityOrder, FlagView, Invoice, TrackOptions, TrackRequest, TrackResult,
} from './types.ts';
import { check, track } from './usage.ts';
import { flagsFor, flagView, subjectView } from './view.ts';
import { compareEntities } from './walk.ts';

function customerInfo(c: CustomerRec): CustomerInfo {
  return { id: c.id, name: c.name, email: c.email, created_at: c.createdAt, now: c.now };
}

const detached = <T>(value: T): T => structuredClone(value);

export class EngineImpl {
  private readonly core: Core;

  constructor(catalog: Catalog, entityOrder: EntityOrder) {
    if (entityOrder !== 'created' && entityOrder !== 'id') throw invalidInput(`entityOrder must be "created" or "id"; got ${shown(entityOrder)}.`);
    this.core = { catalog, entityOrder, customers: new Map(), counters: { balance: 0, attachment: 0, invoice: 0, event: 0 } };
  }

  static restore(catalog: Catalog, state: unknown, entityOrder?: EntityOrder): EngineImpl {
    const stored: EntityOrder = (state as { entityOrder?: unknown } | null)?.entityOrder === 'id' ? 'id' : 'created';
    const engine = new EngineImpl(catalog, stored);
    restore(engine.core, state);
    const order = entityOrder ?? stored;
    if (order !== stored) {
      engine.core.entityOrder = order;
      for (const c of engine.core.customers.values()) {
        for (const att of c.attachments) {
          for (const g of att.grants) {
            if (g.group === null) continue;
            g.group.slices.sort((a, b) => compareEntities(order, a.entity as EntityRec, b.entity as EntityRec));
            g.group.slices.forEach((s, i) => { s.pos = i; });
          }
        }
      }
    }
    return engine;
  }

  get entityOrder(): EntityOrder {
    return this.core.entityOrder;
  }

  setCatalog(catalog: Catalog): void {
    this.core.catalog = catalog;
    for (const c of this.core.customers.values()) c.version++;
  }

  getCatalog(): Catalog {
    return this.core.catalog;
  }

  createCustomer(req: CreateCustomerRequest): CreateCustomerResult {
    if (typeof req.id !== 'string' || req.id === '') throw invalidInput(`customer id must be a non-empty string; got ${shown(req.id)}.`);
    if (!Number.isInteger(req.now)) throw invalidInput(`now must be epoch milliseconds; got ${shown(req.now)}.`);
    if (this.core.customers.has(req.id)) throw invalidInput(`Customer '${req.id}' already exists.`, { customer_id: req.id });
    const customer: CustomerRec = {
      id: req.id, name: req.name ?? null, email: req.email ?? null, createdAt: req.now, now: req.now, entities: new Map(), entitySeq: 0,
      attachments: [], liveCount: new Map(), seatTracked: new Map(), events: new EventLog(), idempotency: new Map(), invoices: [],
      version: 0, walks: new Map(), hasRollovers: false,
    };
    const auto = req.autoEnable ?? true;
    const planIds = typeof auto === 'string' ? [auto]
      : auto ? Object.keys(this.core.catalog.plans).sort(compareIds).filter((id) => {
        const p = this.core.catalog.plans[id];
        return p !== undefined && p.autoEnable && !p.archived;
      }) : [];
    if (typeof auto === 'string' && ownEntry(this.core.catalog.plans, auto) === undefined) throw invalidInput(`Plan '${auto}' is not defined.`, { plan_id: auto });
    this.core.customers.set(customer.id, customer);
    const attachments: AttachmentInfo[] = [];
    const invoices: Invoice[] = [];
    for (const planId of planIds) {
      const r = attach(this.core, { customerId: customer.id, planId });
      attachments.push(r.attachment);
      if (r.invoice !== null) invoices.push(detached(r.invoice));
    }
    return { customer: customerInfo(customer), attachments, invoices };
  }

  getCustomer(customerId: string): CustomerInfo {
    return customerInfo(requireCustomer(this.core, customerId));
  }

  hasCustomer(customerId: string): boolean {
    return this.core.customers.has(customerId);
  }

  listCustomers(): CustomerInfo[] {
    return [...this.core.customers.values()].map(customerInfo);
  }

  deleteCustomer(customerId: string): void {
    requireCustomer(this.core, customerId);
    this.core.customers.delete(customerId);
  }

  attach(req: AttachRequest): AttachResult {
    return detached(attach(this.core, req));
  }

  detach(req: DetachRequest): DetachResult {
    return detached(detach(this.core, req));
  }

  createEntities(req: CreateEntitiesRequest): CreateEntitiesResult {
    return createEntities(this.core, req);
  }

  deleteEntity(req: DeleteEntityRequest): DeleteEntityResult {
    return detached(deleteEntity(this.core, req));
  }

  check(req: CheckRequest): CheckResult {
    return check(this.core, req);
  }

  track(req: TrackRequest, options?: TrackOptions): TrackResult {
    return track(this.core, req, options);
  }

  advanceTo(customerId: string, instant: number): AdvanceResult {
    const customer = requireCustomer(this.core, customerId);
    const from = customer.now;
    const invoices = advanceTo(this.core, customer, instant);
    return { customer_id: customer.id, from, to: customer.now, invoices: detached(invoices) };
  }

  now(customerId: string): number {
    return requireCustomer(this.core, customerId).now;
  }

  invoices(customerId: string, from = 0): Invoice[] {
    const all = requireCustomer(this.core, customerId).invoices;
    return detached(from > 0 ? all.slice(from) : all);
  }

  events(customerId: string, from = 0): EngineEvent[] {
    const c = requireCustomer(this.core, customerId);
    return c.events.toPublic(c.id, from);
  }

  entities(customerId: string): EntityInfo[] {
    const c = requireCustomer(this.core, customerId);
    const list = [...c.entities.values()];
    if (this.core.entityOrder === 'id') list.sort((a, b) => compareIds(a.id, b.id));
    return list.map(entityInfo);
  }

  attachments(customerId: string): AttachmentInfo[] {
    const c = requireCustomer(this.core, customerId);
    return c.attachments.map((a) => attachmentInfo(a, c));
  }

  private subject(customerId: string, entityId: string | null | undefined): { customer: CustomerRec; entity: EntityRec | null } {
    const customer = requireCustomer(this.core, customerId);
    return { customer, entity: entityId == null ? null : liveEntity(customer, entityId) };
  }

  balances(customerId: string, entityId?: string | null): Record<string, BalanceView> {
    const { customer, entity } = this.subject(customerId, entityId);
    const out: Record<string, BalanceView> = {};
    for (const id of Object.keys(this.core.catalog.features).sort(compareIds)) {
      if (this.core.catalog.features[id]?.type === 'boolean') continue;
      const v = subjectView(this.core, customer, entity, id);
      if (v !== null) out[id] = v;
    }
    return out;
  }

  flags(customerId: string, entityId?: string | null): Record<string, FlagView> {
    const { customer, entity } = this.subject(customerId, entityId);
    const out: Record<string, FlagView> = {};
    for (const id of Object.keys(this.core.catalog.features).sort(compareIds)) {
      if (this.core.catalog.features[id]?.type !== 'boolean') continue;
      const { evaluation, display } = flagsFor(customer, entity, id);
      const flag = evaluation[0] ?? display[0];
      if (flag !== undefined) out[id] = flagView(flag);
    }
    return out;
  }

  /** R8.9: the lines the next billing boundary would produce from the current state; changes nothing. */
  previewInvoice(customerId: string): Invoice | null {
    const customer = requireCustomer(this.core, customerId);
    let next: number | null = null;
    for (const att of customer.attachments) for (const b of att.billing) if (next === null || b.timer.at < next) next = b.timer.at;
    if (next === null) return null;
    const lines: SeqLine[] = [];
    for (const att of customer.attachments) {
      for (const b of att.billing) {
        if (b.timer.at !== next) continue;
        const l = b.kind === 'usage' || b.kind === 'seats'
          ? arrearLine(att, b, b.timer.periodStart, next)
          : advanceLine(att, b.kind, b.itemIndex, next, boundary(b.timer.anchor, b.timer.interval, b.timer.count, b.timer.k + 1), null);
        if (l !== null) lines.push({ seq: att.seq, line: l });
      }
    }
    if (lines.length === 0) return null;
    const sorted = sortLines(lines);
    return { id: 'preview', customer_id: customer.id, created_at: customer.now, lines: sorted, total: linesTotal(sorted) };
  }

  snapshot(): EngineState {
    return snapshot(this.core);
  }
}

