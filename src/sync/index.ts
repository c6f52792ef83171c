/**
 * The pure core of sync (issue #4 item 2): diff two Catalogs into a ChangeSet, decide what
 * needs a decision, render it as text or JSON, and order the writes. No I/O, no clock, no env.
 */
export {
  Change,
  ChangeSet,
  Decision,
  FieldChange,
  Grants,
  HolderInfo,
  ItemChange,
  ItemKey,
  NO_GRANTS,
  RemovalMode,
  VersioningChoice,
  type ChangeKind,
  type DiffContext,
  type FeatureRemoveChange,
  type FeatureUpdateChange,
  type PlanRemoveChange,
  type PlanUpdateChange,
} from './change-set.ts';
export { diffCatalogs, isInSync, summarize, type ChangeSummary } from './diff.ts';
export { canonicalize, catalogHash, canonicalJson } from './canonical.ts';
export { itemKey, itemKeyString } from './item-key.ts';
export { requiredDecisions, openDecisions, renderDecisionsText, countOf, ALLOW_DELETE_FLAG, VERSIONING_FLAG } from './decisions.ts';
export { renderChangeSetText, describeItem, type TextOptions } from './render-text.ts';
export { renderChangeSetJson, CHANGESET_FORMAT_VERSION, ChangeSetJson } from './render-json.ts';
export { planApply, applyPhases, ApplyStep, ApplyPhase, ApplyAction, PlanIntent } from './apply-order.ts';
