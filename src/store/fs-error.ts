import { AtmnError, type ErrorCode } from '../errors.ts';

/**
 * File-system failures (no permission, a file where a folder should be, a full disk) are
 * the user's machine talking, not bugs of ours: they become an AtmnError that says what
 * atmn was doing, why it failed and what to do, instead of an internal error with a stack.
 */

const REASONS: Record<string, { reason: string; hint: string }> = {
  EACCES: { reason: 'permission denied', hint: 'Check the permissions of that path, or run atmn where you can write.' },
  EPERM: { reason: 'operation not permitted', hint: 'Check the permissions (and attributes such as immutable) of that path.' },
  EROFS: { reason: 'the file system is read-only', hint: 'Run atmn where the project folder is writable.' },
  ENOSPC: { reason: 'the disk is full', hint: 'Free some space, then run the command again.' },
  EDQUOT: { reason: 'the disk quota is exceeded', hint: 'Free some space, then run the command again.' },
  ENOTDIR: { reason: 'a part of the path is a file, not a folder', hint: 'Move that file out of the way, or choose another path.' },
  EISDIR: { reason: 'it is a folder, not a file', hint: 'Move that folder out of the way, or choose another path.' },
  ENOENT: { reason: 'a folder on the way does not exist', hint: 'Check the path.' },
};

/**
 * `doing` completes "Cannot …": e.g. "write autumn.config.ts". Returns the error unchanged
 * when it is not a Node system error (so real bugs still surface as bugs).
 */
export function fileSystemError(error: unknown, doing: string, code: ErrorCode = 'io_error'): unknown {
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof errno !== 'string' || !(error instanceof Error)) return error;
  const known = REASONS[errno];
  const reason = known ? `${known.reason} (${errno})` : error.message;
  return new AtmnError(code, `Cannot ${doing}: ${reason}.`, {
    ...(known ? { hint: known.hint } : {}),
    details: { errno, ...((error as NodeJS.ErrnoException).path ? { path: (error as NodeJS.ErrnoException).path } : {}) },
  });
}

/** Runs a synchronous file operation and explains its failure with fileSystemError. */
export function explainFileSystem<T>(doing: string, operation: () => T, code?: ErrorCode): T {
  try {
    return operation();
  } catch (error) {
    throw fileSystemError(error, doing, code);
  }
}
