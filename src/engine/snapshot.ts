/** snapshot(): the engine state as plain JSON; restore(): the same engine back (for `atmn dev`'s store). */
import { AtmnError } from '../errors.ts';
import type { Core } from './core.ts';
import { decode, encode } from './decimal.ts';
import { addEntityRec } from './entities.ts';
import { EventLog } from './events.ts';
import { buildGrant, flagRec } from './grants.ts';
import { recurringOf, recurringTimer } from './attach.ts';
import type { AttachmentRec, Cell, CustomerRec, EntityRec, Grant, Timer } from './model.ts';
import { resetCursors } from './walk.ts';
import { EngineStateSchema, type AttachmentState, type CellState, type CustomerState, type EngineState } from './state-schema.ts';

function cellState(c: Cell): CellState {
  return {
    id: c.id, seq: c.seq, entityId: c.entity?.id ?? null, balance: encode(c.balance), counter: encode(c.counter),
    rollovers: (c.rollovers ?? []).map((r) => ({ granted: encode(r.granted), balance: encode(r.balance), createdAt: r.createdAt, expiresAt: r.expiresAt })),
  };
}

const timerState = (t: Timer): Timer => ({ ...t });

function attachmentState(a: AttachmentRec): AttachmentState {
  return {
    id: a.id, seq: a.seq, plan: structuredClone(a.plan), entityId: a.entity?.id ?? null, attachedAt: a.attachedAt, anchor: a.anchor,
    prepaidUnits: [...a.prepaidUnits].map(([i, q]) => [i, encode(q)]),
    grants: a.grants.map((g) => ({
      itemIndex: g.itemIndex,
      resetTimer: g.resetTimer === null ? null : timerState(g.resetTimer),
      cell: g.cell === null ? null : cellState(g.cell),
      slices: g.group === null ? null : g.group.slices.map(cellState),
    })),
    billing: a.billing.map((b) => ({ kind: b.kind, itemIndex: b.itemIndex, timer: timerState(b.timer) })),
  };
}

function customerState(c: CustomerRec): CustomerState {
  return {
    id: c.id, name: c.name, email: c.email, createdAt: c.createdAt, now: c.now, entitySeq: c.entitySeq,
    entities: [...c.entities.values()].map((e) => ({ id: e.id, name: e.name, featureId: e.featureId, createdAt: e.createdAt, seq: e.seq })),
    attachments: c.attachments.map(attachmentState),
    seatTracked: Object.fromEntries([...c.seatTracked].map(([f, q]) => [f, encode(q)])),
    events: c.events.encode(),
    idempotency: [...c.idempotency],
    invoices: structuredClone(c.invoices),
  };
}

export function snapshot(core: Core): EngineState {
  return { version: 1, entityOrder: core.entityOrder, counters: { ...core.counters }, customers: [...core.customers.values()].map(customerState) };
}

function restoreCell(cell: Cell, s: CellState): void {
  cell.id = s.id;
  cell.seq = s.seq;
  cell.balance = decode(s.balance);
  cell.counter = decode(s.counter);
  cell.rollovers = s.rollovers.length === 0 ? null : s.rollovers.map((r) => ({
    granted: decode(r.granted), balance: decode(r.balance), createdAt: r.createdAt, expiresAt: r.expiresAt,
  }));
}

function restoreCustomer(core: Core, s: CustomerState): CustomerRec {
  const customer: CustomerRec = {
    id: s.id, name: s.name, email: s.email, createdAt: s.createdAt, now: s.now, entities: new Map(), entitySeq: s.entitySeq,
    attachments: [], liveCount: new Map(), seatTracked: new Map(Object.entries(s.seatTracked).map(([f, q]) => [f, decode(q)])),
    events: EventLog.decode(s.events), idempotency: new Map(s.idempotency), invoices: structuredClone(s.invoices),
    version: 0, walks: new Map(), hasRollovers: false,
  };
  for (const e of s.entities) addEntityRec(customer, e.id, e.name, e.featureId, e.createdAt, e.seq);
  const entityOf = (id: string | null): EntityRec | null => {
    if (id === null) return null;
    const e = customer.entities.get(id);
    if (e === undefined) throw new Error(`unknown entity ${id}`);
    return e;
  };
  for (const a of s.attachments) {
    const entity = entityOf(a.entityId);
    const att: AttachmentRec = {
      id: a.id, seq: a.seq, plan: a.plan, customer, entity, attachedAt: a.attachedAt, anchor: a.anchor,
      prepaidUnits: new Map(a.prepaidUnits.map(([i, q]) => [i, decode(q)])), grants: [], flags: [],
      billing: a.billing.map((b) => ({ kind: b.kind, itemIndex: b.itemIndex, timer: { ...b.timer } })),
      recurring: recurringOf(a.plan), recurringTimer: null,
    };
    att.recurringTimer = recurringTimer(att.billing);
    const byIndex = new Map(a.grants.map((g) => [g.itemIndex, g]));
    a.plan.items.forEach((item, i) => {
      const gs = byIndex.get(i);
      if (gs === undefined) {
        att.flags.push(flagRec(att, i, item));
        return;
      }
      const grant: Grant = buildGrant(core, att, i, item);
      grant.resetTimer = gs.resetTimer === null ? null : { ...gs.resetTimer };
      if (grant.cell !== null && gs.cell !== null) restoreCell(grant.cell, gs.cell);
      if (grant.group !== null) {
        for (const cs of gs.slices ?? []) {
          const e = entityOf(cs.entityId) as EntityRec;
          const cell: Cell = { id: cs.id, seq: cs.seq, grant, entity: e, balance: 0, counter: 0, rollovers: null, pos: grant.group.slices.length };
          restoreCell(cell, cs);
          grant.group.slices.push(cell);
          if (cell.rollovers !== null) customer.hasRollovers = true;
          e.slices.push(cell);
        }
        resetCursors(grant.group);
      }
      if (grant.cell?.rollovers != null) customer.hasRollovers = true;
      att.grants.push(grant);
    });
    customer.attachments.push(att);
    entity?.attachments.push(att);
  }
  return customer;
}

/** Rebuilds the core from a snapshot; anything malformed is state_corrupt. */
export function restore(core: Core, raw: unknown): void {
  const parsed = EngineStateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AtmnError('state_corrupt', `The saved engine state is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`, {
      path: parsed.error.issues[0]?.path.join('.'), hint: 'Delete the state folder (.atmn/) to start over.',
    });
  }
  const state = parsed.data;
  try {
    for (const c of state.customers) core.customers.set(c.id, restoreCustomer(core, c));
  } catch (error) {
    throw new AtmnError('state_corrupt', `The saved engine state is inconsistent: ${(error as Error).message}.`, {
      hint: 'Delete the state folder (.atmn/) to start over.',
    });
  }
  core.counters = { ...state.counters };
}
