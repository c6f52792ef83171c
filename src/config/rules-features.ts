import { didYouMean } from './did-you-mean.ts';
import { quote, type Rule } from './rule-model.ts';

/** Rules about features on their own and credit-system references (issue #2, item 4). */

/** A metered feature must say whether it is used up (messages) or an allocation (seats). */
export const meteredNeedsConsumable: Rule = (model, report) => {
  for (const { path, feature } of model.features) {
    if (feature.type === 'metered' && feature.consumable === undefined) {
      report.error(
        `${path}.consumable`,
        `metered feature ${quote(feature.id)} must say whether it is consumable`,
        'add consumable: true for usage that is used up and resets (API calls, messages), or consumable: false for an allocation that never resets (seats, storage)',
      );
    }
  }
};

/** Boolean features are never consumable; credit systems always are. */
export const consumableMatchesType: Rule = (model, report) => {
  for (const { path, feature } of model.features) {
    if (feature.type === 'boolean' && feature.consumable === true) {
      report.error(`${path}.consumable`, `boolean feature ${quote(feature.id)} cannot be consumable`, "remove consumable, or use type: 'metered' for counted usage");
    }
    if (feature.type === 'credit_system' && feature.consumable === false) {
      report.error(`${path}.consumable`, `credit system ${quote(feature.id)} is always consumable`, 'remove consumable: false');
    }
  }
};

/** Only credit systems take a creditSchema, and every credit system needs one. */
export const creditSchemaPlacement: Rule = (model, report) => {
  for (const { path, feature } of model.features) {
    const entries = feature.creditSchema ?? [];
    if (feature.type !== 'credit_system' && entries.length > 0) {
      report.error(`${path}.creditSchema`, `only credit_system features take a creditSchema; ${quote(feature.id)} is ${feature.type}`, "set type: 'credit_system', or remove creditSchema");
    }
    if (feature.type === 'credit_system' && entries.length === 0) {
      report.error(
        `${path}.creditSchema`,
        `credit system ${quote(feature.id)} needs a creditSchema listing the metered features it pays for`,
        "add creditSchema: [{ meteredFeatureId: 'messages', creditCost: 1 }]",
      );
    }
  }
};

/** Credit systems reference existing metered consumable features, each once, at a positive cost. */
export const creditSchemaReferences: Rule = (model, report) => {
  for (const { path, feature } of model.features) {
    if (feature.type !== 'credit_system') continue;
    const listed = new Set<string>();
    (feature.creditSchema ?? []).forEach((entry, index) => {
      const at = `${path}.creditSchema[${index}]`;
      const target = model.featureById.get(entry.meteredFeatureId);
      if (listed.has(entry.meteredFeatureId)) {
        report.error(`${at}.meteredFeatureId`, `${quote(entry.meteredFeatureId)} is listed twice in this creditSchema`, 'keep one entry per metered feature');
      }
      listed.add(entry.meteredFeatureId);
      if (!model.declaredFeatureIds.has(entry.meteredFeatureId)) {
        report.error(
          `${at}.meteredFeatureId`,
          `feature ${quote(entry.meteredFeatureId)} does not exist`,
          didYouMean(entry.meteredFeatureId, model.featureById.keys()) ?? `declare it with feature({ id: '${entry.meteredFeatureId}', type: 'metered', consumable: true, … }) and export it`,
        );
      } else if (target && !(target.type === 'metered' && target.consumable === true)) {
        const what = target.type === 'metered' ? 'not consumable' : `a ${target.type === 'boolean' ? 'boolean feature' : 'credit system'}`;
        report.error(
          `${at}.meteredFeatureId`,
          `credit systems pay only for metered, consumable features; ${quote(target.id)} is ${what}`,
          'point meteredFeatureId at a metered feature with consumable: true',
        );
      }
      if (!(entry.creditCost > 0)) {
        report.error(`${at}.creditCost`, `creditCost must be greater than 0 (got ${entry.creditCost})`, 'give the number of credits one unit costs, e.g. creditCost: 1');
      }
    });
  }
};
