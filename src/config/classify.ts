import type { Issue } from '../errors.ts';

/**
 * Sorts a config module's exports into features and plans (issue #2, item 3). Builder
 * results carry a marker; untagged plain objects are classified by shape, like the
 * official CLI does (an object with `type` is a feature; one with `items` or `id` is a
 * plan). Named exports and a default export `{ features, plans }` (legacy `products`)
 * both count; the same object exported twice counts once.
 */

/** A feature or plan as declared, with how the config named it (for error paths). */
export interface DeclaredEntry {
  value: Record<string, unknown>;
  /** `seats` for `export const seats`, or `default.plans[2]` for a default export's element. */
  exportName: string;
}

export interface ClassifiedExports {
  features: DeclaredEntry[];
  plans: DeclaredEntry[];
  /** Problems with the shape of the exports themselves (e.g. `default.plans` is not an array). */
  errors: Issue[];
}

const KIND = Symbol.for('atmn.kind');

export function classifyExports(exports: Record<string, unknown>): ClassifiedExports {
  const out: ClassifiedExports = { features: [], plans: [], errors: [] };
  const seen = new Set<unknown>();
  const defaults = exports.default;
  if (isObject(defaults) && !kindOf(defaults)) {
    collectDefault(defaults, out, seen);
  }
  for (const [name, value] of Object.entries(exports)) {
    if (name === 'default' && !kindOf(value)) continue;
    if (!isObject(value) || Array.isArray(value) || seen.has(value)) continue;
    const kind = kindOf(value) ?? shapeKind(value);
    if (kind === 'feature') out.features.push({ value, exportName: name });
    else if (kind === 'plan') out.plans.push({ value, exportName: name });
    else continue;
    seen.add(value);
  }
  return out;
}

function collectDefault(defaults: Record<string, unknown>, out: ClassifiedExports, seen: Set<unknown>): void {
  const lists: [string, 'features' | 'plans'][] = [['features', 'features'], ['plans', 'plans'], ['products', 'plans']];
  for (const [key, into] of lists) {
    const list = defaults[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      out.errors.push({
        path: `default.${key}`,
        message: `the default export's ${key} must be an array of ${into === 'features' ? 'feature()' : 'plan()'} values`,
        hint: `write export default { ${key}: [${into === 'features' ? 'seats, messages' : 'free, pro'}] }`,
      });
      continue;
    }
    list.forEach((value, index) => {
      if (seen.has(value)) return;
      const exportName = `default.${key}[${index}]`;
      if (!isObject(value) || Array.isArray(value)) {
        out.errors.push({ path: exportName, message: `expected a ${into === 'features' ? 'feature' : 'plan'} object, got ${describe(value)}` });
        return;
      }
      out[into].push({ value, exportName });
      seen.add(value);
    });
  }
}

function kindOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const kind = (value as Record<PropertyKey, unknown>)[KIND] ?? (value as Record<string, unknown>).__atmnType;
  return typeof kind === 'string' ? kind : undefined;
}

function shapeKind(value: Record<string, unknown>): 'feature' | 'plan' | undefined {
  if ('type' in value && 'id' in value) return 'feature';
  if (Array.isArray(value.items) || ('id' in value && 'name' in value)) return 'plan';
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
