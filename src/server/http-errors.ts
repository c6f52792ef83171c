import { isAtmnError, type AtmnError, type ErrorCode } from '../errors.ts';

/** The body of every failure (wire.md §1.6): `details` is our extra, clients must not need it. */
export interface ErrorBody {
  message: string;
  code: string;
  details?: Record<string, unknown>;
}

/** wire.md §6.2: the status that goes with each code `atmn dev` emits. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  unauthorized: 401,
  not_found: 404,
  invalid_input: 400,
  customer_not_found: 404,
  entity_not_found: 404,
  feature_not_found: 404,
  plan_not_found: 404,
  entity_already_exists: 409,
  duplicate_feature_id: 409,
  product_already_exists: 409,
  feature_in_use: 409,
  plan_has_customers: 409,
  config_resource_conflict: 409,
  feature_limit_reached: 400,
  insufficient_balance: 400,
  duplicate_idempotency_key: 409,
  payload_too_large: 413,
  internal_error: 500,
};

export interface HttpFailure {
  status: number;
  body: ErrorBody;
}

/**
 * Turns anything thrown by a handler into a status and `{message, code, details}`.
 * AtmnErrors with a code outside the wire vocabulary (e.g. `config_invalid` from the
 * catalog mapping) are the caller's input problems, so they go out as 400 `invalid_input`.
 * Anything else is our defect: 500 `internal_error`, reported by the caller.
 */
export function toHttpFailure(error: unknown): HttpFailure & { defect: boolean } {
  if (isAtmnError(error)) {
    const status = STATUS_BY_CODE[error.code];
    const code = status === undefined ? 'invalid_input' : error.code;
    return { status: status ?? 400, body: errorBody(error, code), defect: false };
  }
  return {
    status: 500,
    body: { message: 'Internal error in atmn dev; see the server log.', code: 'internal_error' },
    defect: true,
  };
}

function errorBody(error: AtmnError, code: string): ErrorBody {
  const message = error.hint ? `${error.message} ${error.hint}` : error.message;
  const details: Record<string, unknown> = { ...error.details };
  if (error.path) details.field = error.path;
  if (error.issues.length > 0) details.issues = error.issues.map((i) => ({ path: i.path, message: i.message }));
  return Object.keys(details).length > 0 ? { message, code, details } : { message, code };
}
