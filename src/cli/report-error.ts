import { AtmnError, isAtmnError } from '../errors.ts';
import type { CliContext } from './context.ts';
import { exitCodeForError, EXIT, type ExitCode } from './exit-codes.ts';
import { formatError } from './format-error.ts';

/**
 * The one place a thrown value becomes output plus an exit code. User mistakes
 * (AtmnError) print a message and hint with no stack; anything else is our bug.
 */
export function reportError(ctx: CliContext, error: unknown, json: boolean): ExitCode {
  if (isAtmnError(error)) {
    if (json) ctx.out(JSON.stringify(errorEnvelope(error), null, 2));
    else ctx.err(formatError(error, ctx.color));
    return exitCodeForError(error.code);
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (json) ctx.out(JSON.stringify(errorEnvelope(new AtmnError('internal_error', error instanceof Error ? error.message : String(error))), null, 2));
  ctx.err(`internal error: this is a bug in atmn ${ctx.version}. Please report it with the output below.\n${detail}`);
  return EXIT.error;
}

export function errorEnvelope(error: AtmnError): Record<string, unknown> {
  return {
    format_version: 1,
    status: 'error',
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.path ? { path: error.path } : {}),
      ...(Object.keys(error.details).length ? { details: error.details } : {}),
      ...(error.issues.length ? { issues: error.issues } : {}),
    },
  };
}
