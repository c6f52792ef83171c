import type { ErrorCode } from '../errors.ts';

/** design.md "Command surface": 0 ok / no changes, 1 error, 2 changes pending, 3 a decision is needed. */
export const EXIT = { ok: 0, error: 1, changesPending: 2, needsDecision: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeForError(code: ErrorCode): ExitCode {
  return code === 'needs_decision' ? EXIT.needsDecision : EXIT.error;
}
