import type { Engine } from '../engine/index.ts';
import { duplicateKey } from '../engine/failures.ts';
import { isAtmnError } from '../errors.ts';

/**
 * wire.md §6.1: a track that sends both the body `idempotency_key` and a different
 * `Idempotency-Key` header claims both. The engine claims one key per track (semantics
 * R5.14), so the first key is the engine's and each further key is recorded here as riding
 * on it: claimed for exactly as long as the engine still holds the first key's claim from
 * that same instant. The engine stays the only judge of lifetimes (24 h of the customer's
 * clock; a failed track claims nothing; the claims go with the customer).
 */

/** A further key of a track, and the engine-claimed key whose claim it shares. */
export interface RidingKey {
  primary: string;
  /** The customer's clock when both were claimed: the engine's accepted_at of `primary`. */
  at: number;
}

/** customer id → further key → the claim it rides on. */
export type RidingKeys = Map<string, Map<string, RidingKey>>;

/**
 * Runs `track` (which checks and claims `primary` in the engine) after refusing with
 * duplicate_idempotency_key if any key of the request is claimed, either way; on success
 * records `further` as riding on `primary`. Both happen in the caller's one serialized
 * step, so a journal replay of the op repeats them exactly.
 */
export function withRidingKeys<T>(
  engine: Engine,
  riding: RidingKeys,
  customerId: string,
  primary: string | null,
  further: readonly string[],
  track: () => T,
): T {
  const known = riding.get(customerId);
  if (further.length === 0 && known === undefined) return track(); // the common case: no lookups
  if (engine.hasCustomer(customerId)) {
    for (const key of primary === null ? further : [primary, ...further]) refuseIfClaimed(engine, known, customerId, key);
  }
  const result = track();
  if (primary !== null && further.length > 0) {
    const claims = new Map([...(known ?? [])].filter(([, ride]) => stillClaimed(engine, customerId, ride)));
    const at = engine.now(customerId);
    for (const key of further) claims.set(key, { primary, at });
    riding.set(customerId, claims);
  }
  return result;
}

function refuseIfClaimed(engine: Engine, known: Map<string, RidingKey> | undefined, customerId: string, key: string): void {
  const at = engineClaim(engine, customerId, key);
  if (at !== null) throw duplicateKey(key, at, customerId);
  const ride = known?.get(key);
  if (ride !== undefined && stillClaimed(engine, customerId, ride)) throw duplicateKey(key, ride.at, customerId);
}

function stillClaimed(engine: Engine, customerId: string, ride: RidingKey): boolean {
  return engineClaim(engine, customerId, ride.primary) === ride.at;
}

/** No catalog id contains a space (catalog schema), so no feature can have this one. */
const NO_FEATURE = ' idempotency probe ';

/**
 * When the engine accepted `key` for this customer, if that claim still holds. The engine
 * has no read for claims, so this asks with a track of a feature that cannot exist: R5.2
 * checks the key (step 2) before the feature (step 3), so it refuses with
 * duplicate_idempotency_key when the key is claimed and with feature_not_found otherwise,
 * and a refused track changes nothing (semantics I9.11).
 */
function engineClaim(engine: Engine, customerId: string, key: string): number | null {
  try {
    engine.track({ customerId, featureId: NO_FEATURE, idempotencyKey: key }, { view: false });
  } catch (error) {
    if (isAtmnError(error) && error.code === 'duplicate_idempotency_key' && typeof error.details.accepted_at === 'number') {
      return error.details.accepted_at;
    }
    return null;
  }
  throw new Error(`a track of the impossible feature '${NO_FEATURE}' succeeded`);
}
