import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that a crash at any moment leaves either the old contents or the new,
 * never a mix (issue #4: "a crash mid-write never leaves a corrupt state"): write a temp
 * file in the same folder, fsync it, rename it over the target, then fsync the folder so
 * the rename itself is durable.
 */
export function writeFileAtomic(file: string, contents: string): void {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | null = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, contents);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, file);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dir);
}

/** Best effort: some platforms (Windows) cannot open a folder for fsync; the rename is still atomic there. */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
