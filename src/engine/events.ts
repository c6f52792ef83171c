/**
 * The append-only event log of one customer (R1.9), stored column-wise in fixed-size chunks so
 * that millions of tracks cost ~45 bytes each (no object per event, no doubling copies).
 * Events are materialised as plain objects only when read.
 */
import { decode, encode, toNumber, type Q } from './decimal.ts';
import type { EngineEvent } from './types.ts';

const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
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

class Chunk {
  readonly ids = new Float64Array(CHUNK);
  readonly times = new Float64Array(CHUNK);
  /** Scaled values on the fast path; NaN marks a value kept in EventLog.exact. */
  readonly values = new Float64Array(CHUNK);
  readonly applieds = new Float64Array(CHUNK);
  readonly sources = new Uint8Array(CHUNK);
  readonly features = new Uint16Array(CHUNK);
  readonly entityIds: (string | null)[] = new Array<string | null>(CHUNK).fill(null);
}

export class EventLog {
  length = 0;
  private chunks: Chunk[] = [];
  private current: Chunk | null = null;
  /** Feature ids by index; events store the index (one per feature, a handful per customer). */
  private featureNames: string[] = [];
  private featureIndex = new Map<string, number>();
  private lastFeature = '';
  private lastFeatureIndex = -1;
  private exact = new Map<number, Q>();
  private keys = new Map<number, string>();
  private props = new Map<number, Record<string, unknown>>();

  append(e: StoredEvent): void {
    this.add(e.id, e.source, e.entityId, e.featureId, e.value, e.applied, e.idempotencyKey, e.properties, e.timestamp);
  }

  private featureOf(featureId: string): number {
    if (featureId === this.lastFeature) return this.lastFeatureIndex;
    let i = this.featureIndex.get(featureId);
    if (i === undefined) {
      i = this.featureNames.length;
      this.featureNames.push(featureId);
      this.featureIndex.set(featureId, i);
    }
    this.lastFeature = featureId;
    this.lastFeatureIndex = i;
    return i;
  }

  /** Positional form of append: no object per event on the track path. */
  add(id: number, source: 'track' | 'entity', entityId: string | null, featureId: string, value: Q, applied: Q,
    idempotencyKey: string | null, properties: Record<string, unknown> | null, timestamp: number): void {
    const i = this.length;
    const at = i & MASK;
    let c = this.current;
    if (c === null || at === 0) {
      c = new Chunk();
      this.chunks.push(c);
      this.current = c;
    }
    c.ids[at] = id;
    c.times[at] = timestamp;
    c.sources[at] = source === 'track' ? SOURCE_TRACK : SOURCE_ENTITY;
    c.features[at] = this.featureOf(featureId);
    if (typeof value === 'number') c.values[at] = value;
    else {
      c.values[at] = NaN;
      this.exact.set(2 * i, value);
    }
    if (typeof applied === 'number') c.applieds[at] = applied;
    else {
      c.applieds[at] = NaN;
      this.exact.set(2 * i + 1, applied);
    }
    c.entityIds[at] = entityId;
    if (idempotencyKey !== null) this.keys.set(i, idempotencyKey);
    if (properties !== null) this.props.set(i, properties);
    this.length = i + 1;
  }

  get(i: number): StoredEvent {
    const c = this.chunks[i >> CHUNK_BITS] as Chunk;
    const at = i & MASK;
    const v = c.values[at] as number;
    const a = c.applieds[at] as number;
    return {
      id: c.ids[at] as number,
      source: c.sources[at] === SOURCE_TRACK ? 'track' : 'entity',
      entityId: c.entityIds[at] as string | null,
      featureId: this.featureNames[c.features[at] as number] as string,
      value: Number.isNaN(v) ? (this.exact.get(2 * i) as Q) : v,
      applied: Number.isNaN(a) ? (this.exact.get(2 * i + 1) as Q) : a,
      idempotencyKey: this.keys.get(i) ?? null,
      properties: this.props.get(i) ?? null,
      timestamp: c.times[at] as number,
    };
  }

  /** The events from index `from` on (all by default), as the public shape. */
  toPublic(customerId: string, from = 0): EngineEvent[] {
    const out: EngineEvent[] = [];
    for (let i = Math.max(0, from); i < this.length; i++) {
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

  /** Row-wise JSON for snapshots. */
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
      log.add(id, source === 0 ? 'track' : 'entity', entityId, featureId, decode(value), decode(applied), key, properties, timestamp);
    }
    return log;
  }
}

export type EncodedEvents = [
  id: number, source: number, entityId: string | null, featureId: string, value: number | string,
  applied: number | string, key: string | null, properties: Record<string, unknown> | null, timestamp: number,
][];
