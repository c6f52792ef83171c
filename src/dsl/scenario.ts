/**
 * Scenario helpers exported from 'atmn' for `*.scenario.ts` files (spec/scenario.md).
 * Each returns exactly the JSON object of the canonical `*.scenario.json` form, so
 * `JSON.stringify(scenario({...}))` is a valid JSON scenario. No runtime imports: the
 * types come from the one zod schema in src/simulate/schema.ts and vanish when bundled.
 *
 * Every helper takes either positional arguments or the action object itself, plus the
 * step options `customer` and `expectError` in the same options object:
 *
 *   track('summaries', 50, { entity: 'alice' })
 *   track({ feature: 'summaries', value: 50, entity: 'alice', expectError: 'insufficient_balance' })
 */
import type {
  AdvanceActionInput,
  AttachActionInput,
  CheckActionInput,
  CreateEntityActionInput,
  DeleteEntityActionInput,
  DetachActionInput,
  ExpectationInput,
  ScenarioInput,
  StepInput,
  StepOptionsInput,
  TrackActionInput,
} from '../simulate/schema.ts';

export type { ScenarioInput as ScenarioDefinition, StepInput as ScenarioStep, ExpectationInput as ScenarioExpectation };
export type ScenarioStepOptions = StepOptionsInput;

/** Declares a scenario: `export default scenario({ customer: 'org_1', steps: [...] })`. */
export function scenario(definition: ScenarioInput): ScenarioInput {
  return definition;
}

/** Attach a plan to the customer, or to an entity with `{ entity }`. */
export function attach(plan: string, options?: Omit<AttachActionInput, 'plan'> & StepOptionsInput): StepInput;
export function attach(action: AttachActionInput & StepOptionsInput): StepInput;
export function attach(first: string | (AttachActionInput & StepOptionsInput), options: object = {}): StepInput {
  const { value, step } = split(typeof first === 'string' ? { plan: first, ...options } : first);
  return { attach: value as AttachActionInput, ...step };
}

/** End an attachment at once (semantics.md R6.4). */
export function detach(plan: string, options?: Omit<DetachActionInput, 'plan'> & StepOptionsInput): StepInput;
export function detach(action: DetachActionInput & StepOptionsInput): StepInput;
export function detach(first: string | (DetachActionInput & StepOptionsInput), options: object = {}): StepInput {
  const { value, step } = split(typeof first === 'string' ? { plan: first, ...options } : first);
  return { detach: value as DetachActionInput, ...step };
}

/** Create an entity (a seat): `createEntity('alice', 'seats')`. */
export function createEntity(id: string, feature: string, options?: Omit<CreateEntityActionInput, 'id' | 'feature'> & StepOptionsInput): StepInput;
export function createEntity(action: CreateEntityActionInput & StepOptionsInput): StepInput;
export function createEntity(first: string | (CreateEntityActionInput & StepOptionsInput), feature?: string, options: object = {}): StepInput {
  const { value, step } = split(typeof first === 'string' ? { id: first, feature, ...options } : first);
  return { createEntity: value as CreateEntityActionInput, ...step };
}

/** Delete an entity: seat usage −1, its slices removed. */
export function deleteEntity(id: string, options?: StepOptionsInput): StepInput;
export function deleteEntity(action: DeleteEntityActionInput & StepOptionsInput): StepInput;
export function deleteEntity(first: string | (DeleteEntityActionInput & StepOptionsInput), options: object = {}): StepInput {
  const { value, step } = split(typeof first === 'string' ? { id: first, ...options } : first);
  return { deleteEntity: value as DeleteEntityActionInput, ...step };
}

/** Record usage: `track('summaries', 20, { entity: 'alice' })`. A negative value is a refund. */
export function track(feature: string, value?: number, options?: Omit<TrackActionInput, 'feature' | 'value'> & StepOptionsInput): StepInput;
export function track(action: TrackActionInput & StepOptionsInput): StepInput;
export function track(first: string | (TrackActionInput & StepOptionsInput), amount?: number, options: object = {}): StepInput {
  const { value, step } = split(typeof first === 'string' ? { feature: first, value: amount, ...options } : first);
  return { track: value as TrackActionInput, ...step };
}

/** A check exactly as the API runs it: `check('summaries', { entity: 'bob', required: 60 })`. */
export function check(feature: string, options?: Omit<CheckActionInput, 'feature'> & StepOptionsInput): StepInput;
export function check(action: CheckActionInput & StepOptionsInput): StepInput;
export function check(first: string | (CheckActionInput & StepOptionsInput), options: object = {}): StepInput {
  const { value, step } = split(typeof first === 'string' ? { feature: first, ...options } : first);
  return { check: value as CheckActionInput, ...step };
}

/** Move every customer's clock: `advance('1 month')` or `advance({ to: '2026-03-01T00:00:00Z' })`. */
export function advance(by: AdvanceActionInput, options: StepOptionsInput = {}): StepInput {
  return { advance: by, ...clean(options) };
}

/** Assert the current state: a balance, an entity count or an invoice (spec/scenario.md "Expectations"). */
export function expect(expectation: ExpectationInput, options: StepOptionsInput = {}): StepInput {
  return { expect: expectation, ...clean(options) };
}

/** Separates the step options from the action's own keys and drops undefined values. */
function split(input: Record<string, unknown>): { value: Record<string, unknown>; step: StepOptionsInput } {
  const { customer, expectError, ...value } = input;
  return { value: clean(value), step: clean({ customer, expectError }) as StepOptionsInput };
}

function clean<T extends object>(input: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined) out[key] = value;
  return out as T;
}
