import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { feature, item, plan } from '../../src/dsl/index.ts';
import { REPO_ROOT, tempProject } from '../support/cli.ts';

describe("the builders of 'atmn'", () => {
  test('return a copy carrying only the fields written, tagged with non-enumerable markers', () => {
    const input = { id: 'seats', name: 'Seats', type: 'metered' as const, consumable: false };
    const seats = feature(input);
    expect(seats).not.toBe(input);
    expect(Object.keys(seats)).toEqual(['id', 'name', 'type', 'consumable']);
    expect(JSON.parse(JSON.stringify(seats))).toEqual(input);
    expect((seats as unknown as Record<symbol, unknown>)[Symbol.for('atmn.kind')]).toBe('feature');
    expect((item({ featureId: 'seats' }) as unknown as Record<symbol, unknown>)[Symbol.for('atmn.kind')]).toBe('item');
  });

  test('plan().variant() records the variant like the official CLI', () => {
    const pro = plan({ id: 'pro', name: 'Pro' });
    const annual = pro.variant({ id: 'pro_annual', name: 'Pro annual' });
    expect(pro.variants).toEqual([annual]);
    expect(Object.keys(pro)).toEqual(['id', 'name', 'variants']);
  });

  test('the bundled DSL (dist/dsl.js) never loads zod, so config bundles stay small', () => {
    const dsl = readFileSync(join(REPO_ROOT, 'dist/dsl.js'), 'utf8');
    expect(dsl).not.toMatch(/from\s*["']zod/);
    expect(dsl).toContain('atmn.kind');
  });
});

describe("types of 'atmn' in a user's project (dist/types, from npm run build)", () => {
  test('resolve through the package exports, reject typos and carry the JSDoc of every field', () => {
    const dir = tempProject({
      'autumn.config.ts': [
        "import { feature, item, plan } from 'atmn';",
        "export const seats = feature({ id: 'seats', name: 'Seats', type: 'metered', consumable: false });",
        "export const team = plan({ id: 'team', name: 'Team', items: [item({ featureId: seats.id, included: 1, entityFeatureId: null, price: { amount: 1, interval: 'month', billingMethod: 'usage_based' } })] });",
        "export const typo = item({ featureId: 'x', includd: 1 });",
        '',
      ].join('\n'),
    });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(REPO_ROOT, join(dir, 'node_modules/atmn'));
    symlinkSync(join(REPO_ROOT, 'node_modules/zod'), join(dir, 'node_modules/zod'));
    expect(existsSync(join(REPO_ROOT, 'dist/types/dsl/index.d.ts'))).toBe(true);
    const options: ts.CompilerOptions = {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [],
    };
    const file = join(dir, 'autumn.config.ts');
    const source = readFileSync(file, 'utf8');
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => [file],
      getScriptVersion: () => '1',
      getScriptSnapshot: (f) => (existsSync(f) ? ts.ScriptSnapshot.fromString(readFileSync(f, 'utf8')) : undefined),
      getCurrentDirectory: () => dir,
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
    };
    const service = ts.createLanguageService(host);
    const diagnostics = service.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toContain("'includd' does not exist");
    expect(diagnostics[0]).toContain("Did you mean to write 'included'?");
    const docAt = (needle: string) => ts.displayPartsToString(service.getQuickInfoAtPosition(file, source.indexOf(needle))?.documentation);
    expect(docAt('consumable:')).toContain('Metered features only, and required for them');
    expect(docAt('entityFeatureId:')).toContain('Makes the item per-entity');
    expect(docAt('billingMethod:')).toContain("`'prepaid'`: the customer buys a quantity up front");
  });
});
