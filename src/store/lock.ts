import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtmnError } from '../errors.ts';

/**
 * `atmn dev` holds `<data>/dev.lock` while it serves the state (design.md "One local state").
 * The file holds JSON `{"pid": n, ...}` (a bare pid is accepted too). A lock whose process is
 * gone is stale and ignored; the dev server replaces it on its next start.
 */
export const LOCK_FILE = 'dev.lock';

export interface DevLock {
  pid: number;
  port: number | null;
}

/** The live lock holder, or null when there is no lock or its process has exited. */
export function readLiveLock(stateDir: string): DevLock | null {
  let text: string;
  try {
    text = readFileSync(join(stateDir, LOCK_FILE), 'utf8').trim();
  } catch {
    return null;
  }
  const lock = parseLock(text);
  return lock && isProcessAlive(lock.pid) ? lock : null;
}

/** The port `--local` targets (wire.md §1.1), and where `atmn dev` listens by default. */
export const LOCAL_PORT = 8080;

/** The flag that sends a command through a dev server on `port` (at `baseUrl`). */
export function devServerFlag(port: number, baseUrl = `http://127.0.0.1:${port}`): string {
  return port === LOCAL_PORT ? '--local' : `--url ${baseUrl}`;
}

/** Refuses to use the embedded sandbox while `atmn dev` serves the same state. */
export function assertNotLocked(stateDir: string, displayStateDir: string): void {
  const lock = readLiveLock(stateDir);
  if (!lock) return;
  const where = lock.port ? ` on port ${lock.port}` : '';
  throw new AtmnError('state_locked', `atmn dev (pid ${lock.pid}) is serving ${displayStateDir}${where}, so the local sandbox cannot be used directly.`, {
    hint: `Add ${devServerFlag(lock.port ?? LOCAL_PORT)} to go through the dev server.`,
  });
}

function parseLock(text: string): DevLock | null {
  if (/^\d+$/.test(text)) return { pid: Number(text), port: null };
  try {
    const value = JSON.parse(text) as { pid?: unknown; port?: unknown };
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return null;
    return { pid: value.pid, port: typeof value.port === 'number' ? value.port : null };
  } catch {
    return null;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
