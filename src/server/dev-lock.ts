import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AtmnError } from '../errors.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { LOCK_FILE, readLiveLock } from '../store/lock.ts';

/**
 * Holds `<data>/dev.lock` while `atmn dev` serves the folder (design.md "One local state"),
 * in the format store/lock.ts reads: `{"pid": n, "port": p}`. Created exclusively, so two
 * servers cannot share one folder; a lock left by a dead process is replaced.
 */
export interface DevLock {
  /** Records the port once the server listens (it is 0 until then when a free port is asked for). */
  setPort(port: number): void;
  release(): void;
}

export function acquireDevLock(dataDir: string, port: number, displayDir: string): DevLock {
  const file = join(dataDir, LOCK_FILE);
  const contents = (p: number) => JSON.stringify({ pid: process.pid, port: p }) + '\n';
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, contents(port));
      closeSync(fd);
      return {
        // Atomic: a sandbox command reading the lock meanwhile must never see it empty (unlocked).
        setPort: (actual) => writeFileAtomic(file, contents(actual)),
        release: () => rmSync(file, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLiveLock(dataDir);
      if (holder && holder.pid !== process.pid) {
        throw new AtmnError('state_locked', `Another atmn dev (pid ${holder.pid}${holder.port ? `, port ${holder.port}` : ''}) is serving ${displayDir}.`, {
          hint: 'Stop it first, or give this one its own folder with --data DIR.',
        });
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new AtmnError('state_locked', `Could not take the lock ${file}.`, { hint: 'Remove the file if no atmn dev is running.' });
}
