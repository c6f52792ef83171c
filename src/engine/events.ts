/**
 * The append-only event log of one customer (R1.9), stored column-wise so that millions of
 * tracks cost a few dozen bytes each instead of an object apiece. Events are materialised
 * as plain objects only when read.
 */
import { decode, encode, toNumber, type Q } from './decimal.ts';
import type { EngineEvent } from './types.ts';

const SOURCE_TRACK = 0;
const SOURCE_ENTITY = 1;

export interface StoredEvent {
  id: number;
  source: 'track' | 'entity';
  entityId: string | null;
  featureId: string;
  value: Q;
  applied: Q;
  idempotencyKey: string | null;
  properties: Record<string, unknown> | null;
  timestamp: number;
}

export class EventLog {
  length = 0;
  private ids = new Float64Array(16);
  private times = new Float64Array(16);
  /** Scaled values on the fast path; NaN marks a value kept in `exact`. */
  private values = new Float64Array(16);
  private applieds = new Float64Array(16);
  private sources = new Uint8Array(16);
  private entityIds: (string | null)[] = [];
  private featureIds: string[] = [];
  private exact = new Map<number, Q>();
  private keys = new Map<number, string>();
  private props = new Map<number, Record<string, unknown>>();

  append(e: StoredEvent): void {
    this.add(e.id, e.source, e.entityId, e.featureId, e.value, e.applied, e.idempotencyKey, e.properties, e.timestamp);
  }

  /** Positional form of append: no object per event on the track path. */
  add(id: number, source: 'track' | 'entity', entityId: string | null, featureId: string, value: Q, applied: Q,
    idempotencyKey: string | null, properties: Record<string, unknown> | null, timestamp: number): void {
    const i = this.length;
    if (i === this.ids.length) this.grow();
    this.ids[i] = id;
    this.times[i] = timestamp;
    this.sources[i] = source === 'track' ? SOURCE_TRACK : SOURCE_ENTITY;
    if (typeof value === 'number') this.values[i] = value;
    else {
      this.values[i] = NaN;
      this.exact.set(2 * i, value);
    }
    if (typeof applied === 'number') this.applieds[i] = applied;
    else {
      this.applieds[i] = NaN;
      this.exact.set(2 * i + 1, applied);
    }
    this.entityIds.push(entityId);
    this.featureIds.push(featureId);
    if (idempotencyKey !== null) this.keys.set(i, idempotencyKey);
    if (properties !== null) this.props.set(i, properties);
    this.length = i + 1;
  }

  get(i: number): StoredEvent {
    const v = this.values[i] as number;
    const a = this.applieds[i] as number;
    return {
      id: this.ids[i] as number,
      source: this.sources[i] === SOURCE_TRACK ? 'track' : 'entity',
      entityId: this.entityIds[i] as string | null,
      featureId: this.featureIds[i] as string,
      value: Number.isNaN(v) ? (this.exact.get(2 * i) as Q) : v,
      applied: Number.isNaN(a) ? (this.exact.get(2 * i + 1) as Q) : a,
      idempotencyKey: this.keys.get(i) ?? null,
      properties: this.props.get(i) ?? null,
      timestamp: this.times[i] as number,
    };
  }

  toPublic(customerId: string): EngineEvent[] {
    const out: EngineEvent[] = [];
    for (let i = 0; i < this.length; i++) {
      const e = this.get(i);
      out.push({
        id: `evt_${e.id}`,
        source: e.source,
        customer_id: customerId,
        entity_id: e.entityId,
        feature_id: e.featureId,
        value: toNumber(e.value),
        applied: toNumber(e.applied),
        idempotency_key: e.idempotencyKey,
        properties: e.properties === null ? null : structuredClone(e.properties),
        timestamp: e.timestamp,
      });
    }
    return out;
  }

  /** Column-wise JSON for snapshots. */
  encode(): EncodedEvents {
    const rows: EncodedEvents = [];
    for (let i = 0; i < this.length; i++) {
      const e = this.get(i);
      rows.push([e.id, e.source === 'track' ? 0 : 1, e.entityId, e.featureId, encode(e.value), encode(e.applied),
        e.idempotencyKey, e.properties, e.timestamp]);
    }
    return rows;
  }

  static decode(rows: EncodedEvents): EventLog {
    const log = new EventLog();
    for (const [id, source, entityId, featureId, value, applied, key, properties, timestamp] of rows) {
      log.append({
        id, source: source === 0 ? 'track' : 'entity', entityId, featureId, value: decode(value), applied: decode(applied),
        idempotencyKey: key, properties, timestamp,
      });
    }
    return log;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const g = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.ids = g(this.ids, (k) => new Float64Array(k));
    this.times = g(this.times, (k) => new Float64Array(k));
    this.values = g(this.values, (k) => new Float64Array(k));
    this.applieds = g(this.applieds, (k) => new Float64Array(k));
    this.sources = g(this.sources, (k) => new Uint8Array(k));
  }
}

export type EncodedEvents = [
  id: number, source: number, entityId: string | null, featureId: string, value: number | string,
  applied: number | string, key: string | null, properties: Record<string, unknown> | null, timestamp: number,
][];
