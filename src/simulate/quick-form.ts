import { perEntityItems } from '../catalog/per-entity.ts';
import type { Catalog, Plan } from '../catalog/schema.ts';
import { AtmnError } from '../errors.ts';
import { DEFAULT_CUSTOMER, type Scenario, type StepInput } from './schema.ts';
import { closest, listWords } from './suggest.ts';
import { validateScenario } from './validate.ts';

/**
 * The quick form: a scenario built from flags, no file needed.
 *
 *   atmn simulate --plan team --seats 5 --track summaries=60@seat-1 --months 2
 *
 * 1. attach --plan to the customer (--customer, default "customer") at 2026-01-01;
 * 2. create --seats entities named seat-1 … seat-N of the plan's entity feature (the
 *    entityFeatureId of its first per-entity item, else the first non-consumable metered
 *    feature it grants);
 * 3. every month (--months, default 1): run each --track (feature=value, on an entity
 *    with @id, else customer-level) in the order given, then advance 1 month.
 * With --months 0 the tracks run once and the clock does not move.
 */
export interface QuickFormFlags {
  plan: string;
  seats?: string;
  track?: string[];
  months?: string;
  customer?: string;
}

export function buildQuickScenario(flags: QuickFormFlags, catalog: Catalog): { scenario: Scenario; name: string } {
  const plan = catalog.plans[flags.plan];
  if (!plan) throw notDefined('--plan', 'plan', flags.plan, Object.keys(catalog.plans));
  const seats = wholeNumber('--seats', flags.seats, 0, MAX_SEATS, 'a scenario file can create more');
  const months = wholeNumber('--months', flags.months, 1, MAX_MONTHS, 'a scenario file can run longer');
  const tracks = (flags.track ?? []).map(parseTrack);
  for (const track of tracks) {
    if (!(track.feature in catalog.features)) throw notDefined('--track', 'feature', track.feature, Object.keys(catalog.features));
  }
  if (flags.customer !== undefined && flags.customer.trim() === '') {
    throw new AtmnError('usage', '--customer takes a non-empty customer id', { hint: 'Example: --customer org_123, or drop it to use "customer".' });
  }

  const steps: StepInput[] = [{ attach: { plan: plan.id } }];
  if (seats > 0) {
    const feature = seatFeature(plan, catalog);
    for (let i = 1; i <= seats; i++) steps.push({ createEntity: { id: `seat-${i}`, feature } });
  }
  for (let month = 0; month < Math.max(1, months); month++) {
    for (const track of tracks) steps.push({ track });
    if (months > 0) steps.push({ advance: '1 month' });
  }

  const name = `${plan.id}${seats > 0 ? `, ${seats} seat${seats === 1 ? '' : 's'}` : ''}, ${months} month${months === 1 ? '' : 's'}`;
  const raw = {
    name,
    customer: flags.customer ?? DEFAULT_CUSTOMER,
    steps,
  };
  const validation = validateScenario(raw);
  if (!validation.ok) {
    throw new AtmnError('usage', 'the quick-form flags do not make a valid scenario', { issues: validation.issues });
  }
  return { scenario: validation.scenario, name };
}

/** A flag names an id the config lacks: suggest the closest, else list what exists. */
function notDefined(flag: string, kind: 'plan' | 'feature', id: string, ids: string[]): AtmnError {
  const known = [...ids].sort();
  const guess = closest(id, known);
  const listed = `${kind === 'plan' ? 'Plans' : 'Features'}: ${listWords(known)}.`;
  return new AtmnError('usage', `${flag}: ${kind} '${id}' is not defined in the config`, {
    hint: guess ? `Did you mean '${guess}'?` : known.length ? listed : `The config defines no ${kind}s.`,
  });
}

/** The entity feature --seats creates entities of. */
export function seatFeature(plan: Plan, catalog: Catalog): string {
  const linked = perEntityItems(plan)[0];
  if (linked) return linked.entityFeatureId;
  const allocation = plan.items.find((item) => {
    const feature = catalog.features[item.featureId];
    return item.entityFeatureId === null && feature !== undefined && feature.type === 'metered' && !feature.consumable;
  });
  if (allocation) return allocation.featureId;
  throw new AtmnError('usage', `--seats: plan '${plan.id}' has no seat feature to create entities of`, {
    hint: 'Give the plan a per-entity item (entityFeatureId) or a non-consumable metered item such as seats, or drop --seats.',
  });
}

/**
 * The quick form prints a row per step and a row per seat, so its sizes stay readable:
 * 1000 seats and 100 years run in well under a second.
 */
const MAX_SEATS = 1000;
const MAX_MONTHS = 1200;

function wholeNumber(flag: string, text: string | undefined, fallback: number, max: number, beyond: string): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) > max) {
    throw new AtmnError('usage', `${flag} takes a whole number from 0 to ${max}; got '${text}'`, {
      hint: Number(text) > max ? `The quick form stops at ${max}; ${beyond}.` : `Example: ${flag} 3`,
    });
  }
  return Number(text);
}

const TRACK = /^([A-Za-z0-9_-]+)=(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?:@(.+))?$/;

/** "summaries=60@seat-1" → { feature: 'summaries', value: 60, entity: 'seat-1' }. */
function parseTrack(spec: string): { feature: string; value: number; entity?: string } {
  const match = TRACK.exec(spec.trim());
  if (!match || !Number.isFinite(Number(match[2]))) {
    throw new AtmnError('usage', `--track takes feature=value[@entity], e.g. summaries=60@seat-1; got '${spec}'`, {
      hint: match ? `${match[2]} is too large to be a finite number.` : 'The value is a number (negative for a refund); @entity is optional.',
    });
  }
  return { feature: match[1]!, value: Number(match[2]), ...(match[3] ? { entity: match[3] } : {}) };
}
