import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, write } from 'node:fs';
import { AtmnError } from '../errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { readOptionalText } from './optional-file.ts';

/** How to get past damaged engine state: customers and events go, the catalog and keys stay. */
export const RESET_HINT = 'Start atmn dev with --reset to begin again from an empty engine state (the catalog and keys are kept), or move the data folder aside.';

/** What opening a journal found on disk. */
export interface JournalContents {
  /** Every complete entry, in append order. */
  entries: unknown[];
  /** Bytes of a torn last line (a write cut short by a crash) that were dropped; 0 if none. */
  droppedBytes: number;
}

/**
 * An append-only JSON-lines file. `append` resolves only once the entry is on disk
 * (fdatasync). Entries appended while a sync is running are written and synced together
 * by the next one (group commit), so durable writes cost one sync per batch, not per
 * entry. The order of entries on disk is the order of `append` calls.
 */
export class Journal {
  private queue: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushing = false;
  private failure: unknown = null;
  private idle: Array<() => void> = [];
  private closed = false;

  private constructor(
    readonly path: string,
    private fd: number,
    private bytes: number,
  ) {}

  /**
   * Opens (creating if needed) the journal at `path` and reads it. A torn last line is
   * dropped and cut from the file, so later appends start on a clean line. A bad line
   * followed by good ones is not a crash artefact: that is `state_corrupt`.
   */
  static open(path: string): { journal: Journal; contents: JournalContents } {
    const text = readOptionalText(path);
    const { entries, goodBytes, droppedBytes } = parseJournal(text ?? '', path);
    // A new journal is made with writeFileAtomic, which also makes its folder entry durable.
    if (text === null) writeFileAtomic(path, '');
    const fd = openSync(path, 'a+');
    if (droppedBytes > 0) {
      ftruncateSync(fd, goodBytes);
      fsyncSync(fd);
    }
    return { journal: new Journal(path, fd, goodBytes), contents: { entries, droppedBytes } };
  }

  /** Size of the journal in bytes, counting entries not yet synced. */
  get size(): number {
    return this.bytes;
  }

  /** Appends one entry; resolves when it (and everything before it) is durable. */
  append(entry: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new AtmnError('internal_error', 'The journal is closed.'));
    if (this.failure) return Promise.reject(this.failure);
    const line = JSON.stringify(entry) + '\n';
    this.bytes += Buffer.byteLength(line);
    this.queue.push(line);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushing) this.flush();
    return done;
  }

  /** True while some appended entry is not yet durable. */
  get busy(): boolean {
    return this.flushing || this.queue.length > 0;
  }

  /** Resolves once everything appended so far is durable (at once when idle). */
  settled(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Empties the file after a snapshot made it redundant. Only when not busy. */
  truncate(): void {
    if (this.busy) throw new Error('journal.truncate() while a write is in flight');
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
    this.bytes = 0;
  }

  async close(): Promise<void> {
    await this.settled();
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private flush(): void {
    this.flushing = true;
    const lines = this.queue;
    const waiters = this.waiters;
    this.queue = [];
    this.waiters = [];
    const buffer = Buffer.from(lines.join(''), 'utf8');
    writeFully(this.fd, buffer, 0, (writeError) => {
      if (writeError) return this.fail(writeError, waiters);
      fdatasync(this.fd, (syncError) => {
        if (syncError) return this.fail(syncError, waiters);
        for (const w of waiters) w.resolve();
        this.next();
      });
    });
  }

  private next(): void {
    if (this.queue.length > 0) {
      this.flush();
      return;
    }
    this.flushing = false;
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }

  private fail(cause: Error, waiters: Array<{ reject: (error: unknown) => void }>): void {
    // After a failed write the file's tail is unknown: refuse every later write too.
    this.failure = new AtmnError('internal_error', `Could not write the journal ${this.path}: ${cause.message}`);
    for (const w of [...waiters, ...this.waiters]) w.reject(this.failure);
    this.waiters = [];
    this.queue = [];
    this.next();
  }
}

/** Splits journal text into entries; see Journal.open for the torn-tail rule. */
export function parseJournal(text: string, path: string): { entries: unknown[]; goodBytes: number; droppedBytes: number } {
  const entries: unknown[] = [];
  let offset = 0;
  let lineNumber = 0;
  const totalBytes = Buffer.byteLength(text);
  let goodBytes = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    lineNumber++;
    const line = end === -1 ? text.slice(offset) : text.slice(offset, end);
    const parsed = end === -1 ? undefined : tryParse(line);
    if (parsed === undefined) {
      // Torn only if nothing but blanks or NUL padding follows; otherwise it is damage.
      const rest = end === -1 ? '' : text.slice(end + 1);
      if (/^[\s\0]*$/.test(rest)) return { entries, goodBytes, droppedBytes: totalBytes - goodBytes };
      throw new AtmnError('state_corrupt', `The journal ${path} is damaged at line ${lineNumber}.`, {
        hint: RESET_HINT,
        details: { path, line: lineNumber },
      });
    }
    entries.push(parsed);
    goodBytes += Buffer.byteLength(line) + 1;
    offset = end + 1;
  }
  return { entries, goodBytes, droppedBytes: 0 };
}

function tryParse(line: string): unknown {
  if (line === '' || line[0] !== '{') return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

function writeFully(fd: number, buffer: Buffer, offset: number, done: (error: Error | null) => void): void {
  write(fd, buffer, offset, buffer.length - offset, null, (error, written) => {
    if (error) return done(error);
    if (offset + written < buffer.length) return writeFully(fd, buffer, offset + written, done);
    done(null);
  });
}
