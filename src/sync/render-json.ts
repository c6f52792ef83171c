import { z } from 'zod';
import { Change, Decision, NO_GRANTS, type ChangeSet, type Grants } from './change-set.ts';
import { openDecisions } from './decisions.ts';
import { isInSync, summarize } from './diff.ts';

/** Bumped only on a breaking change to the document below (README: "JSON plan contract"). */
export const CHANGESET_FORMAT_VERSION = 1;

/** The JSON plan `atmn diff --json` prints: one stable, versioned document. */
export const ChangeSetJson = z.object({
  format_version: z.literal(CHANGESET_FORMAT_VERSION),
  in_sync: z.boolean(),
  summary: z.object({ create: z.number().int(), update: z.number().int(), remove: z.number().int() }),
  changes: z.array(Change),
  /** Decisions still open under `grants` (all of them when none are given). */
  decisions: z.array(Decision),
});
export type ChangeSetJson = z.infer<typeof ChangeSetJson>;

/**
 * Keys come out in a fixed order: the document's, then each change's and entity's schema
 * order (zod rebuilds objects in shape order), so the same ChangeSet prints the same bytes.
 */
export function renderChangeSetJson(changeSet: ChangeSet, options: { grants?: Grants } = {}): ChangeSetJson {
  const summary = summarize(changeSet);
  return ChangeSetJson.parse({
    format_version: CHANGESET_FORMAT_VERSION,
    in_sync: isInSync(changeSet),
    summary: { create: summary.create, update: summary.update, remove: summary.remove },
    changes: changeSet.changes,
    decisions: openDecisions(changeSet, options.grants ?? NO_GRANTS),
  });
}
