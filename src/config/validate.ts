import { ID_PATTERN, type Catalog } from '../catalog/schema.ts';
import type { Issue } from '../errors.ts';
import { userFrame } from './call-site.ts';
import { classifyExports, type DeclaredEntry } from './classify.ts';
import type { z } from 'zod';
import {
  FeatureInput,
  ItemInput,
  LooseFeatureInput,
  LooseItemInput,
  LoosePlanShellInput,
  PlanShellInput,
  type FeatureParsed,
} from './input-schema.ts';
import { toCatalog } from './normalize.ts';
import { collectingReporter, type FeatureEntry, type ItemEntry, type PlanEntry, type RuleModel } from './rule-model.ts';
import { RULES } from './rules.ts';
import { closest } from './did-you-mean.ts';
import { refineLocation } from './refine-location.ts';
import { translateZodIssues } from './zod-issues.ts';

export interface ValidationResult {
  /** The normalized Catalog, or null when there is any error. */
  catalog: Catalog | null;
  errors: Issue[];
  warnings: Issue[];
}

export interface ValidateOptions {
  /**
   * Reads a source file, so locations can point at the offending field rather than at the
   * builder call. Injected by the loader; without it, locations stay at the call.
   */
  readSource?: (file: string) => string | undefined;
}

/**
 * Config module exports → Catalog (issue #2, item 4). Pure: schema parse of each entity
 * on its own, then the cross-reference rules, then normalization (examples.md:
 * changesets' validateConfig). Every problem is reported at once.
 *
 * Paths name features and plans by id (`plans.team.items[1].entityFeatureId`). When the
 * id cannot serve (missing, malformed or already taken), the entity is named by its
 * export name (`plans.teamCopy`) or, inside a default export, by its position
 * (`plans[2]`).
 */
export function validateConfig(exports: Record<string, unknown>, options: ValidateOptions = {}): ValidationResult {
  const classified = classifyExports(exports);
  const report = collectingReporter();
  report.errors.push(...classified.errors);
  const sites = new Map<string, CallSiteHolder>();
  const order = new Map<string, number>();

  const features = name(classified.features, 'features', 'feature', report.error);
  const featureEntries: FeatureEntry[] = [];
  const featureById = new Map<string, FeatureParsed>();
  const declaredFeatureIds = new Set<string>();
  for (const { entry, path, unique } of features) {
    remember(entry.value, path, 'feature', sites, order);
    if (typeof entry.value.id === 'string') declaredFeatureIds.add(entry.value.id);
    const feature = parse(FeatureInput, LooseFeatureInput, entry.value, path, report.errors);
    if (!feature) continue;
    featureEntries.push({ path, feature });
    if (unique) featureById.set(feature.id, feature);
  }

  const plans = name(classified.plans, 'plans', 'plan', report.error);
  const planEntries: PlanEntry[] = [];
  for (const { entry, path } of plans) {
    remember(entry.value, path, 'plan', sites, order);
    const shell = parse(PlanShellInput, LoosePlanShellInput, entry.value, path, report.errors);
    const rawItems = Array.isArray(entry.value.items) ? (entry.value.items as unknown[]) : [];
    const items: ItemEntry[] = [];
    rawItems.forEach((raw, index) => {
      const itemPath = `${path}.items[${index}]`;
      remember(raw, itemPath, 'item', sites, order);
      const item = parse(ItemInput, LooseItemInput, raw, itemPath, report.errors);
      if (item) items.push({ path: itemPath, index, item });
    });
    if (!shell) continue;
    planEntries.push({ path, plan: shell, items });
  }

  if (classified.features.length === 0 && classified.plans.length === 0 && classified.errors.length === 0) {
    report.warning('', 'the config exports no features or plans', 'export each one (export const pro = plan({ … })), or export default { features, plans }');
  }

  const model: RuleModel = { features: featureEntries, plans: planEntries, featureById, declaredFeatureIds };
  for (const rule of RULES) rule(model, report);

  const errors = sortBySource(locate(sortByDeclaration(report.errors, order), sites, options.readSource));
  const warnings = sortBySource(locate(sortByDeclaration(report.warnings, order), sites, options.readSource));
  if (errors.length > 0) return { catalog: null, errors, warnings };
  // No errors means every id is unique: name() reports each duplicate.
  const catalog = toCatalog(
    featureEntries.map((entry) => entry.feature),
    planEntries.map((entry) => ({ plan: entry.plan, items: entry.items.map((i) => i.item) })),
  );
  return { catalog, errors, warnings };
}

/**
 * Parses one entity with its strict schema, reporting every issue. If the only problems
 * are unknown top-level keys, the entity still goes on to the rules, read as if each typo
 * were the key it most likely meant (`consumible` → `consumable`), so a typo produces one
 * error, not a cascade, and hides none of the entity's other errors.
 */
function parse<T>(strict: z.ZodObject & z.ZodType<T>, loose: z.ZodType<T>, raw: unknown, path: string, errors: Issue[]): T | undefined {
  const parsed = strict.safeParse(raw);
  if (parsed.success) return parsed.data;
  errors.push(...translateZodIssues(parsed.error.issues, raw, path, strict));
  const unknownKeys = parsed.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys : [null]));
  if (unknownKeys.includes(null) || typeof raw !== 'object' || raw === null) return undefined;
  const known = Object.keys(strict.shape);
  const corrected: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const key of unknownKeys as string[]) {
    const meant = closest(key, known);
    if (meant !== undefined && !(meant in corrected)) corrected[meant] = corrected[key];
    delete corrected[key];
  }
  const lenient = loose.safeParse(corrected);
  return lenient.success ? lenient.data : undefined;
}

interface NamedEntry {
  entry: DeclaredEntry;
  path: string;
  /** The first entity with a well-formed id: it owns the id. */
  unique: boolean;
}

/** Gives each entity its path, and reports malformed and duplicate ids. */
function name(entries: DeclaredEntry[], collection: 'features' | 'plans', noun: string, error: (path: string, message: string, hint?: string) => void): NamedEntry[] {
  const owners = new Map<string, string>();
  return entries.map((entry) => {
    const id = entry.value.id;
    const fallback = entry.exportName.startsWith('default.')
      ? `${collection}${entry.exportName.slice(entry.exportName.indexOf('['))}`
      : `${collection}.${entry.exportName}`;
    if (typeof id !== 'string') return { entry, path: fallback, unique: false };
    if (!ID_PATTERN.test(id)) {
      const suggestion = id.trim().replace(/[^a-zA-Z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'my_id';
      error(`${fallback}.id`, `${noun} id ${JSON.stringify(id).replace(/"/g, "'")} may contain only letters, digits, '_' and '-'`, `e.g. id: '${suggestion}'`);
      return { entry, path: fallback, unique: false };
    }
    if (id === '__proto__') {
      // It would silently become an object's prototype in every id-keyed map (Catalog, wire, state).
      error(`${fallback}.id`, `${noun} id '__proto__' is reserved by JavaScript`, `pick another id, e.g. id: 'proto'`);
      return { entry, path: fallback, unique: false };
    }
    const owner = owners.get(id);
    if (owner !== undefined) {
      error(`${fallback}.id`, `duplicate ${noun} id '${id}': ${owner} already uses it`, `${noun} ids must be unique; rename one of them`);
      return { entry, path: fallback, unique: false };
    }
    owners.set(id, entry.exportName.startsWith('default.') ? fallback : `export ${entry.exportName}`);
    return { entry, path: `${collection}.${id}`, unique: true };
  });
}

interface CallSiteHolder {
  stack?: string;
  builder: 'feature' | 'plan' | 'item';
}

const CALL_SITE = Symbol.for('atmn.callSite');

function remember(value: unknown, path: string, builder: CallSiteHolder['builder'], sites: Map<string, CallSiteHolder>, order: Map<string, number>): void {
  order.set(path, order.size);
  const site = typeof value === 'object' && value !== null ? (value as Record<symbol, unknown>)[CALL_SITE] : undefined;
  if (typeof site === 'object' && site !== null) sites.set(path, { builder, get stack() { return (site as { stack?: string }).stack; } });
}

/** The entity an issue belongs to: its path, or the nearest enclosing one we know. */
function owner<T>(path: string, map: Map<string, T>): { value: T; prefix: string } | undefined {
  let current = path;
  for (;;) {
    const found = map.get(current);
    if (found !== undefined) return { value: found, prefix: current };
    const shorter = current.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (shorter === current || shorter === '') return undefined;
    current = shorter;
  }
}

function sortByDeclaration(issues: Issue[], order: Map<string, number>): Issue[] {
  return issues
    .map((issue, index) => ({ issue, index, rank: owner(issue.path, order)?.value ?? -1 }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ issue }) => issue);
}

/**
 * Top to bottom through the files, like a compiler, when locations are known (module
 * namespaces list exports alphabetically, so the export order is not the source order).
 */
function sortBySource(issues: Issue[]): Issue[] {
  // Issues without a location (the shape of the exports) come first, in their own order.
  const key = (issue: Issue): [string, number, number] => (issue.location ? [issue.location.file, issue.location.line, issue.location.column] : ['', 0, 0]);
  return issues
    .map((issue, index) => ({ key: key(issue), issue, index }))
    .sort((a, b) => (a.key[0] < b.key[0] ? -1 : a.key[0] > b.key[0] ? 1 : a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.index - b.index))
    .map(({ issue }) => issue);
}

/** Points each issue at the builder call that declared its entity (stacks are formatted only here), then at the field. */
function locate(issues: Issue[], sites: Map<string, CallSiteHolder>, readSource: ValidateOptions['readSource']): Issue[] {
  return issues.map((issue) => {
    const site = owner(issue.path, sites);
    const stack = site?.value.stack;
    const frame = stack ? userFrame(stack) : undefined;
    if (!frame || !site) return issue;
    const callSite = { ...frame, length: site.value.builder.length };
    const source = readSource?.(frame.file);
    const segments = [...issue.path.slice(site.prefix.length).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
    return { ...issue, location: source === undefined ? callSite : refineLocation(callSite, segments, source) };
  });
}
