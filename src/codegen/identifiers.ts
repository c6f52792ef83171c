import type { Catalog } from '../catalog/schema.ts';
import { sortedIds } from '../catalog/order.ts';

/**
 * Ids become export names (issue #4 item 5): camelCase across `-` and `_` (`pro-monthly` →
 * `proMonthly`), `_` before a leading digit (`1st-plan` → `_1stPlan`), `_` after a reserved
 * word (`class` → `class_`). Collisions are settled deterministically, features first, then
 * plans, each in sorted id order: a clash with the same kind adds 2, 3, …; a clash with the
 * other kind or with a name already in the file adds `Feature`/`Plan` first.
 */

/** Words a generated `const` may not use: JS reserved words, strict-mode names, and the DSL imports. */
const RESERVED_IDENTIFIERS: ReadonlySet<string> = new Set([
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default',
  'delete', 'do', 'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if',
  'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private',
  'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof',
  'var', 'void', 'while', 'with', 'yield', 'undefined', 'NaN', 'Infinity',
  // the names generated code imports from 'atmn'
  'feature', 'item', 'plan',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function isIdentifier(text: string): boolean {
  return IDENTIFIER.test(text);
}

/** The preferred name for an id, before collisions are settled. */
export function toIdentifier(id: string, fallback: string): string {
  const parts = id.split(/[-_]+/).filter((part) => part !== '');
  let name = parts.map((part, index) => (index === 0 ? part : part[0]!.toUpperCase() + part.slice(1))).join('');
  if (name === '') name = fallback;
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (RESERVED_IDENTIFIERS.has(name)) name = `${name}_`;
  return name;
}

export interface AssignedIdentifiers {
  features: Map<string, string>;
  plans: Map<string, string>;
}

/**
 * Names for every feature and plan of `catalog` that `fixed` does not already name.
 * `fixed` holds names the user chose (kept as they are); `taken` holds every other name
 * in use in the file, which new names avoid.
 */
export function assignIdentifiers(
  catalog: Catalog,
  options: { taken?: Iterable<string>; fixed?: AssignedIdentifiers } = {},
): AssignedIdentifiers {
  const owner = new Map<string, 'feature' | 'plan' | 'other'>();
  for (const name of options.taken ?? []) owner.set(name, 'other');
  const result: AssignedIdentifiers = { features: new Map(), plans: new Map() };
  for (const [id, name] of options.fixed?.features ?? []) {
    result.features.set(id, name);
    owner.set(name, 'feature');
  }
  for (const [id, name] of options.fixed?.plans ?? []) {
    result.plans.set(id, name);
    owner.set(name, 'plan');
  }
  const assign = (kind: 'feature' | 'plan', ids: string[], into: Map<string, string>): void => {
    for (const id of ids) {
      if (into.has(id)) continue;
      const name = uniqueName(toIdentifier(id, kind), kind, owner);
      into.set(id, name);
      owner.set(name, kind);
    }
  };
  assign('feature', sortedIds(catalog.features), result.features);
  assign('plan', sortedIds(catalog.plans), result.plans);
  return result;
}

function uniqueName(base: string, kind: 'feature' | 'plan', owner: Map<string, 'feature' | 'plan' | 'other'>): string {
  const holder = owner.get(base);
  if (holder === undefined) return base;
  const stem = holder === kind ? base : `${base}${kind === 'feature' ? 'Feature' : 'Plan'}`;
  if (!owner.has(stem)) return stem;
  for (let n = 2; ; n += 1) if (!owner.has(`${stem}${n}`)) return `${stem}${n}`;
}
