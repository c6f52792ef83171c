/**
 * One error type for every user-facing failure (design.md rule 4). The CLI maps `code`
 * to an exit status, the server maps it to an HTTP status and `{message, code}`.
 * Only errors that are not an AtmnError are our bugs and print a stack.
 */

export type ErrorCode =
  // config and scenario files
  | 'config_not_found'
  | 'config_syntax'
  | 'config_runtime'
  | 'config_invalid'
  | 'scenario_invalid'
  | 'scenario_not_found'
  | 'scenario_failed'
  // CLI usage
  | 'usage'
  | 'file_exists'
  // engine (semantics.md §10)
  | 'customer_not_found'
  | 'feature_not_found'
  | 'entity_not_found'
  | 'entity_already_exists'
  | 'feature_limit_reached'
  | 'insufficient_balance'
  | 'duplicate_idempotency_key'
  | 'invalid_input'
  | 'plan_not_found'
  // remote / server (wire.md §6.2)
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'duplicate_feature_id'
  | 'product_already_exists'
  | 'feature_in_use'
  | 'plan_has_customers'
  | 'config_resource_conflict'
  | 'remote_error'
  | 'network_error'
  | 'state_locked'
  | 'state_corrupt'
  | 'needs_decision'
  | 'payload_too_large'
  // the user's machine: permissions, a file where a folder should be, a full disk
  | 'io_error'
  | 'internal_error';

/** Where in a source file a problem is, for esbuild-style code frames. */
export interface SourceLocation {
  file: string;
  line: number; // 1-based
  column: number; // 0-based, as esbuild reports it
  lineText?: string;
  length?: number;
}

/** One problem found in a config or scenario; `path` is like `plans.team.items[1].entityFeatureId`. */
export interface Issue {
  path: string;
  message: string;
  hint?: string;
  location?: SourceLocation;
}

export interface AtmnErrorInit {
  hint?: string;
  path?: string;
  details?: Record<string, unknown>;
  location?: SourceLocation;
  /** For config_invalid / scenario_invalid: every problem found, not just the first. */
  issues?: Issue[];
}

export class AtmnError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly path: string | undefined;
  readonly details: Record<string, unknown>;
  readonly location: SourceLocation | undefined;
  readonly issues: Issue[];

  constructor(code: ErrorCode, message: string, init: AtmnErrorInit = {}) {
    super(message);
    this.name = 'AtmnError';
    this.code = code;
    this.hint = init.hint;
    this.path = init.path;
    this.details = init.details ?? {};
    this.location = init.location;
    this.issues = init.issues ?? [];
  }
}

export function isAtmnError(value: unknown): value is AtmnError {
  return value instanceof AtmnError;
}
