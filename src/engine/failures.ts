/** The engine's errors, with the codes and message templates of semantics.md §10. */
import { AtmnError } from '../errors.ts';

export function customerNotFound(customerId: string): AtmnError {
  return new AtmnError('customer_not_found',
    `Customer '${customerId}' does not exist. Create it before calling check, track or entities.`,
    { details: { customer_id: customerId } });
}

export function featureNotFound(featureId: string): AtmnError {
  return new AtmnError('feature_not_found',
    `Feature '${featureId}' is not defined. Check the id against autumn.config.ts.`,
    { details: { feature_id: featureId } });
}

export function planNotFound(planId: string): AtmnError {
  return new AtmnError('plan_not_found',
    `Plan '${planId}' is not defined. Check the id against autumn.config.ts.`,
    { details: { plan_id: planId } });
}

export function entityNotFound(customerId: string, entityId: string, billableFeature?: string): AtmnError {
  const message = billableFeature === undefined
    ? `Entity '${entityId}' does not exist for customer '${customerId}'. Create it, or pass entity_data.feature_id to create it on the fly.`
    : `Entity '${entityId}' does not exist for customer '${customerId}'. '${billableFeature}' is billable, so create '${entityId}' explicitly with entities.create.`;
  return new AtmnError('entity_not_found', message, {
    details: { customer_id: customerId, entity_id: entityId, ...(billableFeature === undefined ? {} : { feature_id: billableFeature }) },
  });
}

export function entityAlreadyExists(customerId: string, entityId: string): AtmnError {
  return new AtmnError('entity_already_exists',
    `Entity '${entityId}' already exists for customer '${customerId}'. Pick another id or delete the existing entity first.`,
    { details: { customer_id: customerId, entity_id: entityId } });
}

export function featureLimitReached(customerId: string, entityId: string, featureId: string, wouldBe: number, limit: number): AtmnError {
  return new AtmnError('feature_limit_reached',
    `Creating '${entityId}' would put '${featureId}' at ${wouldBe}, above its limit of ${limit}. Raise maxPurchase or delete an entity.`,
    { details: { customer_id: customerId, entity_id: entityId, feature_id: featureId, in_use: wouldBe, limit } });
}

export function insufficientBalance(subject: string, featureId: string, available: number, requested: number, details: Record<string, unknown>): AtmnError {
  return new AtmnError('insufficient_balance',
    `${subject} has ${available} of '${featureId}' available; ${requested} was requested. Retry with a smaller value or without overage_behavior "reject".`,
    { details: { ...details, feature_id: featureId, requested, available } });
}

export function duplicateKey(key: string, acceptedAt: number, customerId: string): AtmnError {
  return new AtmnError('duplicate_idempotency_key',
    `Idempotency key '${key}' was already used at ${iso(acceptedAt)}. Use a new key for a new event.`,
    { details: { customer_id: customerId, idempotency_key: key, accepted_at: acceptedAt } });
}

export function invalidInput(message: string, details: Record<string, unknown> = {}, hint?: string): AtmnError {
  return new AtmnError('invalid_input', message, hint === undefined ? { details } : { details, hint });
}

/** For messages: an instant as ISO 8601 UTC, milliseconds only when there are some. */
export const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/** For messages: `'ten'` for strings, the JSON form otherwise. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  // JSON would print NaN and Infinity as null, hiding what was actually sent.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
