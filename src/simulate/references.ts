import type { Catalog } from '../catalog/schema.ts';
import type { Issue } from '../errors.ts';
import { formatPath, type JsonPath, type JsonSource } from './json-source.ts';
import type { Step } from './schema.ts';
import { closest, listWords } from './suggest.ts';

/**
 * Checks the ids a scenario names against the config, before anything runs, so a typo is
 * an error with a path (`steps[2].track.feature`) rather than a failed step halfway
 * through. A step with `expectError` is left alone: naming a missing id may be its point.
 */
export function checkReferences(steps: readonly (Step | undefined)[], catalog: Catalog, configName: string, source?: JsonSource): Issue[] {
  const issues: Issue[] = [];
  const planIds = Object.keys(catalog.plans).sort();
  const featureIds = Object.keys(catalog.features).sort();

  const add = (path: JsonPath, message: string, hint: string) => {
    const location = source?.locate(path);
    issues.push({ path: formatPath(path), message, hint, ...(location ? { location } : {}) });
  };
  const unknown = (kind: 'plan' | 'feature', id: string, known: string[], path: JsonPath) => {
    const guess = closest(id, known);
    const hint = guess ? `Did you mean '${guess}'?` : known.length ? `The config defines: ${listWords(known)}.` : `The config defines no ${kind}s.`;
    add(path, `${kind} '${id}' is not defined in ${configName}`, hint);
  };
  const feature = (id: string, path: JsonPath) => {
    if (!(id in catalog.features)) unknown('feature', id, featureIds, path);
  };

  steps.forEach((step, index) => {
    if (step === undefined || step.expectError !== undefined) return;
    const at = ['steps', index] as const;
    if ('attach' in step || 'detach' in step) {
      const key = 'attach' in step ? 'attach' : 'detach';
      const action = 'attach' in step ? step.attach : step.detach;
      const plan = catalog.plans[action.plan];
      if (!plan) return unknown('plan', action.plan, planIds, [...at, key, 'plan']);
      if ('attach' in step) {
        const granted = plan.items.map((item) => item.featureId);
        for (const featureId of Object.keys(step.attach.quantities ?? {})) {
          if (!granted.includes(featureId)) {
            add([...at, 'attach', 'quantities', featureId], `plan '${plan.id}' has no item for feature '${featureId}'`, granted.length ? `Its items grant: ${listWords([...new Set(granted)])}.` : `Plan '${plan.id}' has no items.`);
          }
        }
      }
    } else if ('createEntity' in step) feature(step.createEntity.feature, [...at, 'createEntity', 'feature']);
    else if ('track' in step) feature(step.track.feature, [...at, 'track', 'feature']);
    else if ('check' in step) feature(step.check.feature, [...at, 'check', 'feature']);
    else if ('expect' in step) {
      const expectation = step.expect;
      if ('entities' in expectation) feature(expectation.entities.feature, [...at, 'expect', 'entities', 'feature']);
      else if ('feature' in expectation) feature(expectation.feature, [...at, 'expect', 'feature']);
    }
  });
  return issues;
}
