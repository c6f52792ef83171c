import { z } from 'zod';
import { Feature, Id, Item, Plan } from '../catalog/schema.ts';

/**
 * The ChangeSet: what `push` would do to make the remote match the config, as plain data
 * (issue #4 item 2). Text and JSON are two renderers of this one value, like drizzle-kit's
 * JsonStatement. Every change carries the whole entity; updates carry per-field {from, to}
 * where `from` is the remote value and `to` the config's.
 */

/** One changed field; `field` is a Catalog path such as `price.amount` or `freeTrial.durationLength`. */
export const FieldChange = z.object({
  field: z.string(),
  from: z.unknown(),
  to: z.unknown(),
});
export type FieldChange = z.infer<typeof FieldChange>;

/**
 * How items of two plans are paired (wire.md §2.3): feature, entity feature and the
 * effective interval (the reset's, else the price's). Item order never makes a change.
 */
export const ItemKey = z.object({
  featureId: Id,
  entityFeatureId: Id.nullable(),
  /** The reset interval if the item has its own reset, else its price interval, else null. */
  interval: z.string().nullable(),
  intervalCount: z.number().int().positive().nullable(),
});
export type ItemKey = z.infer<typeof ItemKey>;

export const ItemChange = z.object({
  change: z.enum(['added', 'removed', 'changed']),
  key: ItemKey,
  /** The config's item for added/changed; the remote's for removed. */
  item: Item,
  /** The remote's item for changed; null otherwise. */
  previous: Item.nullable(),
  /** [] for added/removed. */
  fields: z.array(FieldChange),
});
export type ItemChange = z.infer<typeof ItemChange>;

/** A removal archives when the object has holders or is still referenced, otherwise it deletes. */
export const RemovalMode = z.enum(['archive', 'delete']);
export type RemovalMode = z.infer<typeof RemovalMode>;

const FeatureCreate = z.object({ kind: z.literal('feature_create'), id: Id, feature: Feature });
const FeatureUpdate = z.object({
  kind: z.literal('feature_update'),
  id: Id,
  /** The config's feature. */
  feature: Feature,
  /** The remote's feature. */
  previous: Feature,
  fields: z.array(FieldChange),
});
const FeatureRemove = z.object({
  kind: z.literal('feature_remove'),
  id: Id,
  /** The remote's feature. */
  feature: Feature,
  mode: RemovalMode,
  /** Why it is archived rather than deleted ("used by plan pro"); null when it is deleted. */
  reason: z.string().nullable(),
});
/** The config lists the feature with `archived: true` while the remote has it active. */
const FeatureArchive = z.object({ kind: z.literal('feature_archive'), id: Id, feature: Feature });
/** The config lists the feature (not archived) while the remote has it archived. */
const FeatureUnarchive = z.object({ kind: z.literal('feature_unarchive'), id: Id, feature: Feature });

const PlanCreate = z.object({ kind: z.literal('plan_create'), id: Id, plan: Plan });
const PlanUpdate = z.object({
  kind: z.literal('plan_update'),
  id: Id,
  /** The config's plan. */
  plan: Plan,
  /** The remote's plan. */
  previous: Plan,
  /** Plan-level fields (items excluded). */
  fields: z.array(FieldChange),
  items: z.array(ItemChange),
  /** Customers and entities holding the plan (from the backend; 0 when unknown). */
  customers: z.number().int().nonnegative(),
  /** The change touches price, items or free trial: with customers it needs a versioning choice (wire.md §3.1). */
  versioned: z.boolean(),
});
const PlanRemove = z.object({
  kind: z.literal('plan_remove'),
  id: Id,
  /** The remote's plan. */
  plan: Plan,
  mode: RemovalMode,
  reason: z.string().nullable(),
  customers: z.number().int().nonnegative(),
});
const PlanArchive = z.object({ kind: z.literal('plan_archive'), id: Id, plan: Plan });
const PlanUnarchive = z.object({ kind: z.literal('plan_unarchive'), id: Id, plan: Plan });

export const Change = z.discriminatedUnion('kind', [
  FeatureCreate,
  FeatureUpdate,
  FeatureRemove,
  FeatureArchive,
  FeatureUnarchive,
  PlanCreate,
  PlanUpdate,
  PlanRemove,
  PlanArchive,
  PlanUnarchive,
]);
export type Change = z.infer<typeof Change>;
export type ChangeKind = Change['kind'];
export type FeatureUpdateChange = z.infer<typeof FeatureUpdate>;
export type PlanUpdateChange = z.infer<typeof PlanUpdate>;
export type FeatureRemoveChange = z.infer<typeof FeatureRemove>;
export type PlanRemoveChange = z.infer<typeof PlanRemove>;

/** Changes are listed features first, then plans, each in sorted id order. */
export const ChangeSet = z.object({ changes: z.array(Change) });
export type ChangeSet = z.infer<typeof ChangeSet>;

/**
 * What only the backend knows: who holds what. Counts include customers and entities;
 * an id that is absent counts as 0 (no holders).
 */
export const HolderInfo = z.object({
  /** plan id → customers and entities holding any version of it. */
  plans: z.record(z.string(), z.number().int().nonnegative()),
  /** feature id → customers with a balance of it. */
  features: z.record(z.string(), z.number().int().nonnegative()),
});
export type HolderInfo = z.infer<typeof HolderInfo>;

export interface DiffContext {
  holders?: HolderInfo;
}

export const VersioningChoice = z.enum(['new', 'current', 'all']);
export type VersioningChoice = z.infer<typeof VersioningChoice>;

/** Decisions granted by flags (design.md): `--allow-delete`, `--versioning new|current|all`. */
export const Grants = z.object({
  allowDelete: z.boolean(),
  versioning: VersioningChoice.nullable(),
});
export type Grants = z.infer<typeof Grants>;

export const NO_GRANTS: Grants = { allowDelete: false, versioning: null };

/** A choice the user must make before push may write; `flag` is the exact flag that grants it. */
export const Decision = z.object({
  kind: z.enum(['allow_delete', 'versioning']),
  entity: z.enum(['feature', 'plan']),
  id: Id,
  message: z.string(),
  flag: z.string(),
});
export type Decision = z.infer<typeof Decision>;
