import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/schema.ts';
import { createEngine, restoreEngine, type Engine, type EngineState, type EntityOrder } from '../engine/index.ts';
import { AtmnError, isAtmnError } from '../errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { Journal, RESET_HINT, parseJournal } from './journal.ts';
import { readOptionalText } from './optional-file.ts';
import {
  applyOp, readOp, type AttachmentMeta, type CustomerProfile, type EngineOp, type EngineOpKind, type EngineStates,
  type OpResults,
} from './engine-ops.ts';
import type { Environment } from './state.ts';

/**
 * Durable engine state for `atmn dev` (issue 5 item 5). The engines live in memory; every
 * state change is an EngineOp, applied at once and appended to a JSON-lines journal that
 * is fsync'd (group commit) before the caller answers. At open, the snapshot is restored
 * and the journal replayed through the same applyOp; then both are compacted into a new
 * snapshot. A torn last journal line (a crash mid-write) is dropped: it was never answered.
 *
 * Files in the data folder: engine.snapshot.json, engine.journal.jsonl.
 */

export const SNAPSHOT_FILE = 'engine.snapshot.json';
export const JOURNAL_FILE = 'engine.journal.jsonl';
export const ENVIRONMENTS: readonly Environment[] = ['sandbox', 'live'];

interface SnapshotFile {
  format: 1;
  /** seq of the last op folded into this snapshot; replay skips journal entries up to it. */
  seq: number;
  envs: Record<Environment, {
    catalog: Catalog;
    engine: EngineState;
    frozen: string[];
    profiles: Record<string, CustomerProfile>;
    attachments: Record<string, AttachmentMeta>;
  }>;
}

export interface EngineStoreOptions {
  dir: string;
  /** The current catalogs (from the catalog store); the engines are brought in line with them at open. */
  catalogs: Record<Environment, Catalog>;
  entityOrder: EntityOrder;
  /** Compact once the journal passes this many bytes. */
  compactBytes?: number;
}

export interface OpenReport {
  /** Journal entries replayed on top of the snapshot. */
  replayed: number;
  /** Bytes of a torn last line that were dropped. */
  droppedBytes: number;
}

export class EngineStore {
  private compacting = false;

  private constructor(
    readonly dir: string,
    readonly states: EngineStates,
    private journal: Journal,
    private seq: number,
    private readonly compactBytes: number,
    readonly report: OpenReport,
  ) {}

  /** Restores, replays, reconciles the catalogs, compacts. Throws state_corrupt on damage. */
  static open(options: EngineStoreOptions): EngineStore {
    mkdirSync(options.dir, { recursive: true });
    const { journal, contents } = Journal.open(join(options.dir, JOURNAL_FILE));
    const loaded = replay(options.dir, contents.entries, options.catalogs, options.entityOrder);
    const store = new EngineStore(options.dir, loaded.states, journal, loaded.seq, options.compactBytes ?? 64 * 1024 * 1024, {
      replayed: loaded.replayed,
      droppedBytes: contents.droppedBytes,
    });
    // The catalog may have changed while no server ran (a push to the embedded sandbox):
    // apply it now; the compaction below makes it durable.
    for (const env of ENVIRONMENTS) {
      const current = store.states[env].engine.getCatalog();
      if (JSON.stringify(current) !== JSON.stringify(options.catalogs[env])) {
        applyOp(store.states, { op: 'set_catalog', env, catalog: options.catalogs[env] });
      }
    }
    store.compact();
    return store;
  }

  /**
   * Applies `op` now and resolves with its result once it is durable. A refused op (an
   * AtmnError) changes nothing and is not journaled, unless `keepRefused(error)` says the
   * refusal may have left an effect behind (an auto-created entity, semantics R5.2): then
   * it is journaled too, so replay repeats the effect, and the error is rethrown once durable.
   */
  run<K extends EngineOpKind>(op: Extract<EngineOp, { op: K }>, keepRefused?: (error: AtmnError) => boolean): Promise<OpResults[K]> {
    let result: OpResults[K];
    try {
      result = applyOp(this.states, op);
    } catch (error) {
      if (!keepRefused || !isAtmnError(error) || !keepRefused(error)) throw error;
      return this.commit(op).then(() => Promise.reject(error));
    }
    return this.commit(op).then(() => result);
  }

  /** Applies an op without journaling it; the caller must `commit` it at once if it changed anything. */
  apply<K extends EngineOpKind>(op: Extract<EngineOp, { op: K }>): OpResults[K] {
    return applyOp(this.states, op);
  }

  /** Journals an op that was just applied (same tick); resolves when durable. */
  commit(op: EngineOp): Promise<void> {
    this.seq += 1;
    const done = this.journal.append({ seq: this.seq, ...op });
    if (this.journal.size > this.compactBytes && !this.compacting) this.scheduleCompaction();
    return done;
  }

  /** Writes a snapshot of everything and empties the journal. Synchronous; only while the journal is idle. */
  compact(): void {
    if (this.journal.busy) throw new Error('EngineStore.compact() while the journal is writing');
    const file: SnapshotFile = {
      format: 1,
      seq: this.seq,
      envs: {
        sandbox: this.snapshotEnv('sandbox'),
        live: this.snapshotEnv('live'),
      },
    };
    writeFileAtomic(join(this.dir, SNAPSHOT_FILE), JSON.stringify(file));
    this.journal.truncate();
  }

  /** Waits for pending writes, compacts, closes the journal. */
  async close(): Promise<void> {
    await this.journal.settled();
    this.compact();
    await this.journal.close();
  }

  private snapshotEnv(env: Environment): SnapshotFile['envs'][Environment] {
    const { engine, frozen, profiles, attachments } = this.states[env];
    return {
      catalog: engine.getCatalog(),
      engine: engine.snapshot(),
      frozen: [...frozen],
      profiles: Object.fromEntries(profiles),
      attachments: Object.fromEntries(attachments),
    };
  }

  /** Compacts once the journal is idle; an append that lands before that makes it wait again. */
  private scheduleCompaction(): void {
    this.compacting = true;
    const whenIdle = (): void => void this.journal.settled().then(() => setImmediate(attempt));
    const attempt = (): void => {
      if (this.journal.busy) return whenIdle();
      try {
        this.compact();
      } finally {
        this.compacting = false;
      }
    };
    whenIdle();
  }
}

/**
 * Reads the engine state of a data folder without opening it for writing: the snapshot
 * plus the journal as it is on disk. For readers beside a running server (holders).
 */
export function loadEngineStates(dir: string, catalogs: Record<Environment, Catalog>, entityOrder: EntityOrder = 'created'): EngineStates {
  const path = join(dir, JOURNAL_FILE);
  return replay(dir, parseJournal(readOptionalText(path) ?? '', path).entries, catalogs, entityOrder).states;
}

function replay(
  dir: string,
  entries: unknown[],
  catalogs: Record<Environment, Catalog>,
  entityOrder: EntityOrder,
): { states: EngineStates; seq: number; replayed: number } {
  const snapshot = readSnapshot(join(dir, SNAPSHOT_FILE));
  let seq = snapshot?.seq ?? 0;
  // Replay with the order the ops ran under; switch to the requested order afterwards.
  const states = {} as EngineStates;
  for (const env of ENVIRONMENTS) {
    const saved = snapshot?.envs[env];
    states[env] = saved
      ? {
          engine: restoreSaved(saved, join(dir, SNAPSHOT_FILE)),
          frozen: new Set(saved.frozen),
          profiles: new Map(Object.entries(saved.profiles)),
          attachments: new Map(Object.entries(saved.attachments)),
        }
      : { engine: createEngine(catalogs[env], { entityOrder }), frozen: new Set(), profiles: new Map(), attachments: new Map() };
  }
  let replayed = 0;
  entries.forEach((entry, index) => {
    const { seq: entrySeq, op } = readOp(entry, index + 1);
    if (entrySeq <= seq) return;
    seq = entrySeq;
    replayed++;
    try {
      applyOp(states, op);
    } catch (error) {
      // Refusals were journaled on purpose (see EngineStore.run) and refuse again here.
      if (!isAtmnError(error) || error.code === 'internal_error') {
        throw new AtmnError('state_corrupt', `Replaying journal entry ${index + 1} (${op.op}) failed: ${(error as Error).message}`, {
          hint: RESET_HINT,
        });
      }
    }
  });
  for (const env of ENVIRONMENTS) {
    const { engine } = states[env];
    if (engine.entityOrder !== entityOrder) {
      states[env].engine = restoreEngine(engine.getCatalog(), engine.snapshot(), { entityOrder });
    }
  }
  return { states, seq, replayed };
}

/** The engine of a snapshot, under the order its ops ran with; damage names the file and the way out. */
function restoreSaved(saved: SnapshotFile['envs'][Environment], path: string): Engine {
  try {
    return restoreEngine(saved.catalog, saved.engine, { entityOrder: saved.engine.entityOrder });
  } catch (error) {
    if (!isAtmnError(error)) throw error;
    throw new AtmnError('state_corrupt', `The engine snapshot ${path} cannot be restored: ${error.message}`, { hint: RESET_HINT });
  }
}

function readSnapshot(path: string): SnapshotFile | null {
  const text = readOptionalText(path);
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as SnapshotFile;
    if (parsed.format !== 1 || typeof parsed.seq !== 'number' || !parsed.envs?.sandbox || !parsed.envs?.live) throw new Error('unknown format');
    return parsed;
  } catch (error) {
    throw new AtmnError('state_corrupt', `The engine snapshot ${path} cannot be read: ${(error as Error).message}.`, {
      hint: RESET_HINT,
    });
  }
}
