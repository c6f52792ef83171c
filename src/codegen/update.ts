import type { Catalog } from '../catalog/schema.ts';
import { sortedIds } from '../catalog/order.ts';
import { canonicalize } from '../sync/canonical.ts';
import { ownEntry } from '../catalog/own-entry.ts';
import { exportStatement, featureCall, planCall, type FeatureRef } from './generate.ts';
import { assignIdentifiers, type AssignedIdentifiers } from './identifiers.ts';
import { printCode, raw, str } from './print.ts';
import { scanSource, type BuilderStatement, type ScannedSource } from './scan.ts';

export interface UpdateOptions {
  /**
   * What the existing file loads to, when it loads. Objects whose meaning is unchanged then
   * keep the user's own text, and objects the file defines in ways pull cannot edit
   * (computed ids, loops) are reported in `unresolved` instead of being added twice.
   */
  current?: Catalog;
}

export interface UpdateResult {
  source: string;
  changed: boolean;
  /** `feature seats`, `plan pro`: statements appended. */
  added: string[];
  /** Calls rewritten in place (the user's export name kept). */
  updated: string[];
  /** Statements commented out because the remote no longer has the object. */
  removed: string[];
  /** Remote changes to objects the file defines in a way pull cannot edit; `--force` rewrites the file. */
  unresolved: string[];
  warnings: string[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** Among insertions at one offset, lower order ends up first in the file. */
  order: number;
}

/**
 * `atmn pull` into an existing config (issue #4 item 5). Keeps everything it does not have
 * to touch: the user's other code, comments, formatting and export names. For each remote
 * feature and plan it finds the `[export] const X = feature({ id: '…', … })` statement and
 * replaces only the call; new objects are appended (new features before the first plan, so
 * plans can reference them); objects the remote no longer has are commented out, not
 * deleted, so nothing the user wrote is lost (the CLI also writes a backup).
 */
export function updateConfigSource(existing: string, catalog: Catalog, options: UpdateOptions = {}): UpdateResult {
  const remote = canonicalize(catalog);
  const current = options.current ? canonicalize(options.current) : null;
  const scan = scanSource(existing);
  const result: UpdateResult = { source: existing, changed: false, added: [], updated: [], removed: [], unresolved: [], warnings: [] };

  const located = locate(scan.statements);
  const fixed: AssignedIdentifiers = { features: new Map(), plans: new Map() };
  for (const [id, statement] of located.feature) if (Object.hasOwn(remote.features, id)) fixed.features.set(id, statement.name);
  for (const [id, statement] of located.plan) if (Object.hasOwn(remote.plans, id)) fixed.plans.set(id, statement.name);
  const names = assignIdentifiers(remote, { taken: scan.identifiers, fixed });

  const firstPlanStart = Math.min(...scan.statements.filter((s) => s.builder === 'plan').map((s) => s.start), Infinity);
  const featureInsert = featureInsertion(existing, scan, firstPlanStart);
  const planInsert = planInsertion(existing, scan);
  /** A plan at `offset` may reference a feature variable only if it is declared before it (no TDZ error). */
  const refAt = (offset: number): FeatureRef => (featureId) => {
    const statement = located.feature.get(featureId);
    const declaredBefore = statement ? statement.start < offset : Object.hasOwn(remote.features, featureId) && featureInsert.at <= offset;
    const name = names.features.get(featureId);
    return declaredBefore && name !== undefined ? raw(`${name}.id`) : str(featureId);
  };

  const edits: Edit[] = [];
  const rewritten: [number, number][] = [];
  const used = new Set<'feature' | 'plan' | 'item'>();
  for (const kind of ['feature', 'plan'] as const) {
    const objects: Record<string, unknown> = kind === 'feature' ? remote.features : remote.plans;
    for (const [id, statement] of located[kind]) {
      const label = `${kind} ${id}`;
      if (!Object.hasOwn(objects, id)) {
        edits.push(commentOut(existing, statement, `${kind} "${id}" is no longer in Autumn`));
        result.removed.push(label);
        continue;
      }
      const known = current && (kind === 'feature' ? ownEntry(current.features, id) : ownEntry(current.plans, id));
      if (known && sameJson(known, objects[id])) continue;
      const call = kind === 'feature' ? featureCall(remote.features[id]!) : planCall(remote.plans[id]!, refAt(statement.start));
      const lineStart = existing.lastIndexOf('\n', statement.start - 1) + 1;
      const indent = /^[ \t]*/.exec(existing.slice(lineStart))![0].length;
      const text = printCode(call, indent, statement.callStart - lineStart);
      if (text === existing.slice(statement.callStart, statement.callEnd)) continue;
      edits.push({ start: statement.callStart, end: statement.callEnd, text, order: 0 });
      rewritten.push([statement.callStart, statement.callEnd]);
      noteUsed(used, kind, remote, id);
      result.updated.push(label);
    }
  }

  const added = { feature: [] as string[], plan: [] as string[] };
  for (const kind of ['feature', 'plan'] as const) {
    const objects: Record<string, unknown> = kind === 'feature' ? remote.features : remote.plans;
    for (const id of sortedIds(objects)) {
      if (located[kind].has(id)) continue;
      const known = current && ownEntry<unknown>(kind === 'feature' ? current.features : current.plans, id);
      if (known) {
        // The file defines it in a way pull cannot edit (a computed id, a loop): never add it twice.
        if (!sameJson(known, objects[id])) result.unresolved.push(`${kind} ${id}`);
        continue;
      }
      const call = kind === 'feature' ? featureCall(remote.features[id]!) : planCall(remote.plans[id]!, refAt(planInsert.at));
      added[kind].push(exportStatement((kind === 'feature' ? names.features : names.plans).get(id)!, call));
      noteUsed(used, kind, remote, id);
      result.added.push(`${kind} ${id}`);
    }
  }
  if (added.feature.length > 0) edits.push({ ...featureInsert.wrap(added.feature.join('\n\n')), order: 1 });
  if (added.plan.length > 0) edits.push({ ...planInsert.wrap(added.plan.join('\n\n')), order: 2 });
  const importEdit = importFix(existing, scan, used);
  if (importEdit) edits.push(importEdit);

  for (const label of result.removed) {
    const [kind, id] = label.split(' ') as ['feature' | 'plan', string];
    const statement = located[kind].get(id)!;
    const stillUsed = scan.tokens.some(
      (token) =>
        token.type === 'ident' &&
        token.text === statement.name &&
        (token.start < statement.start || token.start >= statement.end) &&
        !rewritten.some(([start, end]) => token.start >= start && token.start < end),
    );
    if (stillUsed) result.warnings.push(`${label} was commented out, but \`${statement.name}\` is still used elsewhere in the file.`);
  }

  result.source = applyEdits(existing, edits);
  result.changed = result.source !== existing;
  return result;
}

/** Both sides are canonical (fixed key order), so their JSON text compares their meaning. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The first statement per id and builder; a later duplicate is left alone. */
function locate(statements: BuilderStatement[]): Record<'feature' | 'plan', Map<string, BuilderStatement>> {
  const located = { feature: new Map<string, BuilderStatement>(), plan: new Map<string, BuilderStatement>() };
  for (const statement of statements) {
    if (statement.id !== null && !located[statement.builder].has(statement.id)) located[statement.builder].set(statement.id, statement);
  }
  return located;
}

function noteUsed(used: Set<'feature' | 'plan' | 'item'>, kind: 'feature' | 'plan', catalog: Catalog, id: string): void {
  used.add(kind);
  if (kind === 'plan' && (ownEntry(catalog.plans, id)?.items.length ?? 0) > 0) used.add('item');
}

interface Insertion {
  at: number;
  wrap: (text: string) => { start: number; end: number; text: string };
}

/** New features go after the last feature declared before the first plan, else just before the first plan. */
function featureInsertion(source: string, scan: ScannedSource, firstPlanStart: number): Insertion {
  const before = scan.statements.filter((s) => s.builder === 'feature' && s.end <= firstPlanStart);
  const last = before[before.length - 1];
  if (last) return after(last.end);
  if (firstPlanStart !== Infinity) {
    // before the plan's leading comments, so they stay attached to it
    const previous = scan.tokens.filter((token) => token.end <= firstPlanStart).pop();
    const from = previous ? previous.end : 0;
    const at = from + /^\s*/.exec(source.slice(from))![0].length;
    return { at, wrap: (text) => ({ start: at, end: at, text: `${text}\n\n` }) };
  }
  return planInsertion(source, scan);
}

/** New plans go after the last plan (or feature) statement, else at the end of the file. */
function planInsertion(source: string, scan: ScannedSource): Insertion {
  const last = scan.statements[scan.statements.length - 1];
  if (last) return after(last.end);
  const at = source.length;
  const lead = source.trim() === '' ? '' : source.endsWith('\n') ? '\n' : '\n\n';
  return { at, wrap: (text) => ({ start: at, end: at, text: `${lead}${text}\n` }) };
}

function after(offset: number): Insertion {
  return { at: offset, wrap: (text) => ({ start: offset, end: offset, text: `\n\n${text}` }) };
}

function commentOut(source: string, statement: BuilderStatement, why: string): Edit {
  const lineStart = source.lastIndexOf('\n', statement.start - 1) + 1;
  const newline = source.indexOf('\n', statement.end);
  const lineEnd = newline < 0 ? source.length : newline;
  const head = source.slice(lineStart, statement.start);
  const tail = source.slice(statement.end, lineEnd);
  const note = `atmn pull: ${why}; kept here commented out.`;
  if (head.trim() !== '' || !(tail.trim() === '' || tail.trim().startsWith('//'))) {
    return { start: statement.start, end: statement.end, text: `/* ${note} */`, order: 0 };
  }
  const lines = source.slice(lineStart, lineEnd).split('\n');
  const text = [`${head}// ${note}`, ...lines.map((line) => (line.trim() === '' ? '//' : `// ${line}`))].join('\n');
  return { start: lineStart, end: lineEnd, text, order: 0 };
}

/** Adds the builders the new code calls to `import { … } from 'atmn'`, or writes that import. */
function importFix(source: string, scan: ScannedSource, used: Set<'feature' | 'plan' | 'item'>): Edit | null {
  const have = new Set(scan.atmnImport?.names ?? []);
  const missing = (['feature', 'item', 'plan'] as const).filter((name) => used.has(name) && !have.has(name));
  if (missing.length === 0) return null;
  if (scan.atmnImport) {
    const inside = source.slice(scan.atmnImport.openBrace + 1, scan.atmnImport.closeBrace);
    const at = scan.atmnImport.openBrace + 1 + inside.trimEnd().length;
    const separator = inside.trim() === '' ? ' ' : inside.trimEnd().endsWith(',') ? ' ' : ', ';
    const suffix = inside.trim() === '' ? ' ' : '';
    return { start: at, end: at, text: `${separator}${missing.join(', ')}${suffix}`, order: 0 };
  }
  const line = `import { ${missing.join(', ')} } from 'atmn';`;
  if (scan.lastImportEnd !== null) return { start: scan.lastImportEnd, end: scan.lastImportEnd, text: `\n${line}`, order: 0 };
  return { start: 0, end: 0, text: `${line}\n\n`, order: -1 };
}

function applyEdits(source: string, edits: Edit[]): string {
  let out = source;
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.order - a.order);
  for (const edit of ordered) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

