import { readFileSync } from 'node:fs';
import { fileSystemError } from './fs-error.ts';

/**
 * The text of a state file that may not exist yet (keys, snapshot, journal): null when it
 * is missing; any other failure (a folder in its place, no permission) becomes an
 * AtmnError that names the file, never a stack trace.
 */
export function readOptionalText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileSystemError(error, `read ${file}`, 'io_error');
  }
}
