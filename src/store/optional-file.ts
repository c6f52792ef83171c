import { readFileSync } from 'node:fs';
import type { ErrorCode } from '../errors.ts';
import { fileSystemError } from './fs-error.ts';

/**
 * The text of a state file that may not exist yet (keys, snapshot, journal): null when it
 * is missing; any other failure (a folder in its place, no permission) becomes an
 * AtmnError that names the file, never a stack trace. `doing` completes "Cannot …".
 */
export function readOptionalText(file: string, doing = `read ${file}`, code: ErrorCode = 'io_error'): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileSystemError(error, doing, code);
  }
}
