/** Entities: create (R3.1–R3.7), delete (R3.8), auto-creation from check and track (R3.11). */
import { ownEntry } from '../catalog/own-entry.ts';
import { AtmnError } from '../errors.ts';
import type { Core } from './core.ts';
import { fromInt, ONE, toNumber, type Q } from './decimal.ts';
import { rollback, type Touch } from './deduct.ts';
import { endAttachment, requireCustomer } from './attach.ts';
import { makeInvoice, type SeqLine } from './billing.ts';
import { entityAlreadyExists, entityNotFound, featureLimitReached, featureNotFound, invalidInput, shown } from './failures.ts';
import { addSlice } from './grants.ts';
import type { CustomerRec, EntityRec } from './model.ts';
import { placeSeats, releaseSeat, seatEntries, seatLimit, seatUsage, seatWarning } from './seats.ts';
import type { CreateEntitiesRequest, CreateEntitiesResult, DeleteEntityRequest, DeleteEntityResult, EntityInfo, SeatWarning } from './types.ts';
import { creditSystemsFor, removeSlice } from './walk.ts';

export function entityInfo(e: EntityRec): EntityInfo {
  return { id: e.id, name: e.name, customer_id: e.customer.id, feature_id: e.featureId, created_at: e.createdAt, seq: e.seq };
}

/** A live entity with empty walk caches, registered with its customer (creation and restore). */
export function addEntityRec(customer: CustomerRec, id: string, name: string | null, featureId: string, createdAt: number, seq: number): EntityRec {
  const e: EntityRec = {
    id, name, featureId, createdAt, seq, customer, slices: [], attachments: [], lastWalk: null, walkCache: null,
    fastFeature: null, fastVersion: -1, fastCell: null, fastEntry: null, fastPool: null,
  };
  customer.entities.set(id, e);
  customer.liveCount.set(featureId, (customer.liveCount.get(featureId) ?? 0) + 1);
  return e;
}

interface NewEntity {
  id: string;
  featureId: string;
  name: string | null;
}

/** R3.2 checks 2–4 over the whole list, in order. */
function validate(core: Core, customer: CustomerRec, list: unknown): NewEntity[] {
  if (!Array.isArray(list) || list.length === 0) throw invalidInput('entities must be a non-empty list of {id, feature_id, name?}.');
  const items = list.map((raw, i) => {
    const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const id = typeof o.id === 'number' ? String(o.id) : o.id;
    return { i, id, featureId: o.featureId, name: o.name ?? null };
  });
  for (const it of items) {
    if (typeof it.featureId !== 'string' || it.featureId === '') throw invalidInput(`entities[${it.i}].feature_id must be a non-empty string; got ${shown(it.featureId)}.`);
    if (ownEntry(core.catalog.features, it.featureId) === undefined) throw featureNotFound(it.featureId);
  }
  const seen = new Set<string>();
  for (const it of items) {
    const feature = core.catalog.features[it.featureId as string];
    if (feature !== undefined && (feature.type === 'credit_system' || (feature.type === 'metered' && feature.consumable))) {
      throw invalidInput(`Feature '${feature.id}' is ${feature.type === 'credit_system' ? 'a credit system' : 'consumable'}, so it cannot be an entity feature.`,
        { feature_id: feature.id }, 'Entities belong to a boolean or non-consumable metered feature such as seats.');
    }
    if (typeof it.id !== 'string' || it.id === '') throw invalidInput(`entities[${it.i}].id must be a non-empty string; got ${shown(it.id)}.`);
    if (seen.has(it.id)) throw invalidInput(`Entity id '${it.id}' appears twice in one request.`, { entity_id: it.id });
    seen.add(it.id);
    if (it.name !== null && typeof it.name !== 'string') throw invalidInput(`entities[${it.i}].name must be a string or null; got ${shown(it.name)}.`);
  }
  for (const it of items) if (customer.entities.has(it.id as string)) throw entityAlreadyExists(customer.id, it.id as string);
  return items.map((it) => ({ id: it.id as string, featureId: it.featureId as string, name: it.name as string | null }));
}

/** Creates validated entities, all-or-nothing (R3.3–R3.6). */
function createValidated(core: Core, customer: CustomerRec, list: NewEntity[]): CreateEntitiesResult {
  const touches: Touch[] = [];
  const added = new Map<string, number>();
  for (const n of list) {
    const entries = seatEntries(core, customer, n.featureId);
    const left = placeSeats(entries, ONE, touches, false);
    if (left !== 0) {
      rollback(touches);
      const inUse = toNumber(seatUsage(customer, n.featureId)) + (added.get(n.featureId) ?? 0);
      throw featureLimitReached(customer.id, n.id, n.featureId, inUse + 1, toNumber(seatLimit(entries)));
    }
    added.set(n.featureId, (added.get(n.featureId) ?? 0) + 1);
  }
  const created: EntityInfo[] = [];
  for (const n of list) {
    const e = addEntityRec(customer, n.id, n.name, n.featureId, customer.now, ++customer.entitySeq);
    for (const att of customer.attachments) {
      if (att.entity !== null) continue;
      for (const g of att.grants) if (g.group !== null && g.entityFeatureId === e.featureId) addSlice(core, g, e);
    }
    appendEntityEvent(core, customer, e, fromInt(1));
    created.push(entityInfo(e));
  }
  const warnings: SeatWarning[] = [];
  for (const f of added.keys()) {
    const w = seatWarning(core, customer, f);
    if (w !== null) warnings.push(w);
  }
  return { entities: created, warnings };
}

function appendEntityEvent(core: Core, customer: CustomerRec, e: EntityRec, value: Q): void {
  customer.events.append({
    id: ++core.counters.event, source: 'entity', entityId: e.id, featureId: e.featureId, value, applied: value,
    idempotencyKey: null, properties: null, timestamp: customer.now,
  });
}

export function createEntities(core: Core, req: CreateEntitiesRequest): CreateEntitiesResult {
  const customer = requireCustomer(core, req.customerId);
  return createValidated(core, customer, validate(core, customer, req.entities));
}

export function deleteEntity(core: Core, req: DeleteEntityRequest): DeleteEntityResult {
  const customer = requireCustomer(core, req.customerId);
  const e = typeof req.entityId === 'string' ? customer.entities.get(req.entityId) : undefined;
  if (e === undefined) throw entityNotFound(customer.id, String(req.entityId));
  const info = entityInfo(e);
  customer.entities.delete(e.id);
  customer.liveCount.set(e.featureId, (customer.liveCount.get(e.featureId) ?? 1) - 1);
  releaseSeat(core, customer, e.featureId);
  for (const s of e.slices) if (s.grant.group !== null) removeSlice(s.grant.group, s);
  e.slices = [];
  const lines: SeqLine[] = [];
  for (const att of [...e.attachments]) lines.push(...endAttachment(core, customer, att));
  appendEntityEvent(core, customer, e, fromInt(-1));
  return { entity: info, invoice: makeInvoice(core, customer, lines) };
}

/**
 * The subject entity of a check or track (R3.11): the live entity, or one created on the fly.
 * Throws entity_not_found when it cannot be created.
 */
export function resolveEntity(core: Core, customer: CustomerRec, entityId: string, featureId: string,
  entityData: { featureId?: unknown; name?: unknown } | null | undefined): { entity: EntityRec; created: boolean } {
  const live = customer.entities.get(entityId);
  if (live !== undefined) return { entity: live, created: false };
  let f: string | null = null;
  if (entityData != null && entityData.featureId !== undefined && entityData.featureId !== null) {
    if (typeof entityData.featureId !== 'string') throw invalidInput(`entity_data.feature_id must be a string; got ${shown(entityData.featureId)}.`);
    f = entityData.featureId;
  } else {
    const linked = new Set<string>();
    const viaCredit = new Set(creditSystemsFor(core.catalog, featureId).map((l) => l.creditSystemId));
    for (const att of customer.attachments) {
      if (att.entity !== null) continue;
      for (const item of att.plan.items) {
        if (item.entityFeatureId !== null && (item.featureId === featureId || viaCredit.has(item.featureId))) linked.add(item.entityFeatureId);
      }
    }
    if (linked.size === 1) f = [...linked][0] as string;
  }
  if (f === null) throw entityNotFound(customer.id, entityId);
  if (seatEntries(core, customer, f).some((e) => e.grant.billing !== 'free')) throw entityNotFound(customer.id, entityId, f);
  const name = entityData?.name;
  const list = validate(core, customer, [{ id: entityId, featureId: f, name: typeof name === 'string' ? name : null }]);
  try {
    createValidated(core, customer, list);
  } catch (error) {
    if (error instanceof AtmnError && error.code === 'feature_limit_reached') throw entityNotFound(customer.id, entityId, f);
    throw error;
  }
  return { entity: customer.entities.get(entityId) as EntityRec, created: true };
}
