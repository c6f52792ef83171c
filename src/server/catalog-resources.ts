import { z } from 'zod';
import { canonicalJson } from '../sync/canonical.ts';
import { AtmnError } from '../errors.ts';
import type { CatalogState, StoredResource } from './catalog-state.ts';
import { invalidInput, parseInput } from './input.ts';

/**
 * Rewards (coupons, feature grants) and referral programs in catalog writes (wire.md §4.1,
 * §4.4). atmn dev stores them as sent and lists them back; nothing else uses them.
 */

export interface ResourceChange {
  id: string;
  action: 'created' | 'updated' | 'deleted' | 'none' | 'conflict';
}

/** A reward as stored: the coupon or feature grant object plus its kind. */
type Reward = Record<string, unknown> & { id: string; kind: 'coupon' | 'feature_grant' };

export interface ResourceRequest {
  /** undefined when the request did not send the list (then it is left alone). */
  rewards: Reward[] | undefined;
  referralPrograms: (Record<string, unknown> & { id: string })[] | undefined;
  deleteRewards: string[];
  deleteReferralPrograms: string[];
  conflicts: string[];
}

const Coupon = z.object({
  id: z.string().min(1),
  name: z.string().nullable(),
  type: z.enum(['percentage_discount', 'fixed_discount']),
  value: z.number().positive('must be > 0'),
  duration: z.object({ type: z.enum(['one_off', 'months', 'forever']), length: z.number().int().positive().nullable() }),
  plan_ids: z.array(z.string()).nullable(),
  promo_codes: z.array(z.object({ code: z.string(), global_max_redemption: z.number().int().nullable(), first_time_transaction: z.boolean() })),
}).loose();
const FeatureGrant = z.object({
  id: z.string().min(1),
  name: z.string(),
  grants: z.array(z.object({
    feature_id: z.string(),
    included: z.number().nullable(),
    expiry: z.object({ type: z.enum(['day', 'week', 'month', 'year']), length: z.number().int() }).nullable(),
  })).min(1, 'must not be empty'),
  promo_codes: z.array(z.object({ code: z.string(), max_uses: z.number().int().nullable() })).min(1, 'must not be empty'),
}).loose();
const RewardEntry = z.union([z.object({ coupon: Coupon }).strict(), z.object({ feature_grant: FeatureGrant }).strict()]);
const ReferralProgram = z.object({
  id: z.string().min(1),
  reward_id: z.string(),
  redeem_on: z.enum(['customer_creation', 'checkout']),
  received_by: z.enum(['referrer', 'all']),
  max_redemptions: z.number().int().nullable(),
  plan_ids: z.array(z.string()).nullable(),
  exclude_trial: z.boolean(),
}).loose();

export function resourceChanges(
  catalog: CatalogState,
  rawRewards: unknown[] | undefined,
  rawReferrals: unknown[] | undefined,
  skipDeletions: boolean,
): { rewardChanges: ResourceChange[]; referralChanges: ResourceChange[]; request: ResourceRequest } {
  const rewards = rawRewards?.map((entry, index) => readReward(entry, index));
  const referrals = rawReferrals?.map((entry, index) => {
    const program = parseInput(ReferralProgram, entry);
    if (rewards && !rewards.some((w) => w.id === program.reward_id)) {
      throw invalidInput(`referral_programs[${index}].reward_id`, `names '${program.reward_id}', which is not one of the rewards sent.`);
    }
    return program;
  });

  const request: ResourceRequest = { rewards, referralPrograms: referrals, deleteRewards: [], deleteReferralPrograms: [], conflicts: [] };
  const rewardChanges = compare(catalog.rewards, rewards, skipDeletions, (a, b) => a.kind !== b.kind, request.deleteRewards, request.conflicts);
  const referralChanges = compare(catalog.referralPrograms, referrals, skipDeletions, () => false, request.deleteReferralPrograms, request.conflicts);
  return { rewardChanges, referralChanges, request };
}

/** §4.3: deletions first, then upserts; refuses the whole request on a conflict. */
export function applyResources(catalog: CatalogState, request: ResourceRequest, now: number): void {
  if (request.conflicts.length > 0) {
    throw new AtmnError('config_resource_conflict', `Config resources already exist with different definitions: ${request.conflicts.join(', ')}`, {
      details: { ids: request.conflicts },
    });
  }
  catalog.rewards = upsert(catalog.rewards.filter((r) => !request.deleteRewards.includes(r.id)), request.rewards, now);
  catalog.referralPrograms = upsert(catalog.referralPrograms.filter((r) => !request.deleteReferralPrograms.includes(r.id)), request.referralPrograms, now);
}

function readReward(entry: unknown, index: number): Reward {
  const parsed = parseInput(RewardEntry, entry);
  if ('feature_grant' in parsed) return { ...parsed.feature_grant, kind: 'feature_grant' };
  if (parsed.coupon.type === 'percentage_discount' && parsed.coupon.value > 100) {
    throw invalidInput(`rewards[${index}].coupon.value`, `must be ≤ 100 for a percentage discount; got ${parsed.coupon.value}.`);
  }
  return { ...parsed.coupon, kind: 'coupon' };
}

function compare<T extends Record<string, unknown> & { id: string }>(
  stored: StoredResource[],
  requested: T[] | undefined,
  skipDeletions: boolean,
  conflicting: (a: Record<string, unknown>, b: Record<string, unknown>) => boolean,
  deletions: string[],
  conflicts: string[],
): ResourceChange[] {
  if (requested === undefined) return [];
  const changes: ResourceChange[] = [];
  for (const item of requested) {
    const existing = stored.find((s) => s.id === item.id);
    if (!existing) changes.push({ id: item.id, action: 'created' });
    else if (conflicting(existing, item)) {
      changes.push({ id: item.id, action: 'conflict' });
      conflicts.push(item.id);
    } else changes.push({ id: item.id, action: normalized(existing) === normalized(item) ? 'none' : 'updated' });
  }
  if (!skipDeletions) {
    for (const s of stored) {
      if (requested.some((r) => r.id === s.id)) continue;
      changes.push({ id: s.id, action: 'deleted' });
      deletions.push(s.id);
    }
  }
  return changes;
}

function upsert(stored: StoredResource[], requested: (Record<string, unknown> & { id: string })[] | undefined, now: number): StoredResource[] {
  if (!requested) return stored;
  const out = [...stored];
  for (const item of requested) {
    const index = out.findIndex((s) => s.id === item.id);
    const next = { ...item, created_at: index >= 0 ? out[index]!.created_at : now };
    if (index >= 0) out[index] = next;
    else out.push(next);
  }
  return out;
}

/** Compared after sorting keys and arrays, ignoring created_at, null ≡ false (§4.2). */
function normalized(value: Record<string, unknown>): string {
  const strip = (v: unknown): unknown => {
    if (v === null) return false;
    if (Array.isArray(v)) return v.map(strip).map(canonicalJson).sort();
    if (typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (k !== 'created_at') out[k] = strip(x);
      return out;
    }
    return v;
  };
  return canonicalJson(strip(value));
}
