import { z } from 'zod';
import { isUtcInstant, parseDuration } from './time.ts';

/**
 * The scenario file format of `atmn simulate` (spec/scenario.md), declared once. The
 * JSON form is parsed with these schemas; the TypeScript helpers exported from 'atmn'
 * (src/dsl/scenario.ts) take `z.input` of them, so both spellings are one format.
 */

export const DEFAULT_START = '2026-01-01T00:00:00Z';
export const DEFAULT_CUSTOMER = 'customer';

export const ACTION_KEYS = ['attach', 'detach', 'createEntity', 'deleteEntity', 'track', 'check', 'advance', 'expect'] as const;
export type ActionKey = (typeof ACTION_KEYS)[number];
export const STEP_OPTION_KEYS = ['customer', 'expectError'] as const;

/** Error codes a step may expect (semantics.md §10, plus an unknown plan). */
export const EXPECTABLE_ERRORS = [
  'customer_not_found',
  'feature_not_found',
  'plan_not_found',
  'entity_not_found',
  'entity_already_exists',
  'feature_limit_reached',
  'insufficient_balance',
  'duplicate_idempotency_key',
  'invalid_input',
] as const;
export const ExpectableError = z.enum(EXPECTABLE_ERRORS);
export type ExpectableError = z.infer<typeof ExpectableError>;

const Id = z.string().min(1, 'must be a non-empty string');
const Amount = z.number();
const Instant = z.string().refine(isUtcInstant, 'must be an ISO 8601 UTC instant such as "2026-02-01T00:00:00Z"');

export const AttachAction = z.strictObject({
  plan: Id,
  entity: Id.optional(),
  /** Total balance wanted per prepaid item, included units counted (semantics.md R2.5). */
  quantities: z.record(z.string(), z.number().nonnegative('must be 0 or more')).optional(),
});
export const DetachAction = z.strictObject({ plan: Id, entity: Id.optional() });
export const CreateEntityAction = z.strictObject({ id: Id, feature: Id, name: z.string().optional() });
export const DeleteEntityAction = z.strictObject({ id: Id });
export const TrackAction = z.strictObject({
  feature: Id,
  /** Negative values are refunds (semantics.md R5.11). */
  value: Amount.default(1),
  entity: Id.optional(),
  idempotencyKey: Id.optional(),
  overage: z.enum(['cap', 'reject']).optional(),
});
export const CheckAction = z.strictObject({
  feature: Id,
  entity: Id.optional(),
  required: z.number().nonnegative('must be 0 or more').default(1),
});
export const DurationText = z
  .string()
  .refine((text) => parseDuration(text) !== null, 'must read "N unit(s)" with N a positive integer and unit minute, hour, day, week, month or year, e.g. "1 month"');
export const AdvanceTo = z.strictObject({ to: Instant });
export const AdvanceAction = z.union([DurationText, AdvanceTo]);

const Figure = z.number().nullable();
export const BalanceExpectation = z.strictObject({
  feature: Id,
  entity: Id.optional(),
  /** The check's required_balance: an input, never compared. */
  required: z.number().nonnegative('must be 0 or more').default(1),
  allowed: z.boolean().optional(),
  granted: Figure.optional(),
  remaining: Figure.optional(),
  usage: Figure.optional(),
  unlimited: z.boolean().optional(),
  overageAllowed: z.boolean().optional(),
});
export const EntitiesExpectation = z.strictObject({
  entities: z.strictObject({ feature: Id, count: z.number().int('must be a whole number').nonnegative('must be 0 or more') }),
});
export const LINE_KINDS = ['base', 'prepaid', 'usage', 'seats'] as const;
export const InvoiceLineExpectation = z.strictObject({
  kind: z.enum(LINE_KINDS).optional(),
  feature: Id.optional(),
  entity: Id.nullable().optional(),
  quantity: z.number().optional(),
  amount: Amount,
});
export const InvoiceExpectation = z.strictObject({
  invoice: z.strictObject({
    period: z.union([z.number().int().positive(), z.literal('last')]),
    total: Amount.optional(),
    lines: z.array(InvoiceLineExpectation).optional(),
  }),
});
export const Expectation = z.union([EntitiesExpectation, InvoiceExpectation, BalanceExpectation]);

const stepOptions = {
  /** The customer this step acts on; defaults to the scenario's `customer`. */
  customer: Id.optional(),
  /** The error code this step must fail with. */
  expectError: ExpectableError.optional(),
};
/** The step options on their own, for validating a step whose action is checked apart (validate.ts). */
export const StepOptions = z.strictObject(stepOptions);
export const AttachStep = z.strictObject({ attach: AttachAction, ...stepOptions });
export const DetachStep = z.strictObject({ detach: DetachAction, ...stepOptions });
export const CreateEntityStep = z.strictObject({ createEntity: CreateEntityAction, ...stepOptions });
export const DeleteEntityStep = z.strictObject({ deleteEntity: DeleteEntityAction, ...stepOptions });
export const TrackStep = z.strictObject({ track: TrackAction, ...stepOptions });
export const CheckStep = z.strictObject({ check: CheckAction, ...stepOptions });
export const AdvanceStep = z.strictObject({ advance: AdvanceAction, ...stepOptions });
export const ExpectStep = z.strictObject({ expect: Expectation, ...stepOptions });

/** One schema per action key; the validator picks the one a step names (validate.ts). */
export const STEP_SCHEMAS = {
  attach: AttachStep,
  detach: DetachStep,
  createEntity: CreateEntityStep,
  deleteEntity: DeleteEntityStep,
  track: TrackStep,
  check: CheckStep,
  advance: AdvanceStep,
  expect: ExpectStep,
} as const satisfies Record<ActionKey, z.ZodType>;

export const Step = z.union([AttachStep, DetachStep, CreateEntityStep, DeleteEntityStep, TrackStep, CheckStep, AdvanceStep, ExpectStep]);

export const Scenario = z.strictObject({
  /** Shown in the report; defaults to the file name. */
  name: z.string().optional(),
  /** Path of the config, relative to the scenario file (default autumn.config.ts there). */
  config: Id.optional(),
  customer: Id.default(DEFAULT_CUSTOMER),
  start: Instant.default(DEFAULT_START),
  entityOrder: z.enum(['created', 'id']).default('created'),
  steps: z.array(Step).min(1, 'add at least one step'),
});

export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
export type Step = z.infer<typeof Step>;
export type StepInput = z.input<typeof Step>;
export type Expectation = z.infer<typeof Expectation>;
export type BalanceExpectation = z.infer<typeof BalanceExpectation>;
export type EntitiesExpectation = z.infer<typeof EntitiesExpectation>;
export type InvoiceExpectation = z.infer<typeof InvoiceExpectation>;
export type InvoiceLineExpectation = z.infer<typeof InvoiceLineExpectation>;
export type AdvanceAction = z.infer<typeof AdvanceAction>;

export type AttachActionInput = z.input<typeof AttachAction>;
export type DetachActionInput = z.input<typeof DetachAction>;
export type CreateEntityActionInput = z.input<typeof CreateEntityAction>;
export type DeleteEntityActionInput = z.input<typeof DeleteEntityAction>;
export type TrackActionInput = z.input<typeof TrackAction>;
export type CheckActionInput = z.input<typeof CheckAction>;
export type AdvanceActionInput = z.input<typeof AdvanceAction>;
export type ExpectationInput = z.input<typeof Expectation>;
export type StepOptionsInput = z.input<typeof StepOptions>;

/** The action key of a parsed step (exactly one exists, by construction). */
export function actionOf(step: Step): ActionKey {
  for (const key of ACTION_KEYS) if (key in step) return key;
  throw new Error('step without an action'); // unreachable after parsing
}
