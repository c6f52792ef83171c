import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './support/cli.ts';

/**
 * design.md rule 1 and examples.md "Startup", checked on the static import graph (like
 * drizzle-kit's imports-checker): a pure module never imports a shell module, and the CLI
 * entry loads nothing heavy before a command runs.
 */

const SRC = join(REPO_ROOT, 'src');
const PURE = ['catalog', 'sync', 'codegen', 'engine'];
/** What pure code may import besides other pure modules and src/errors.ts. */
const PURE_PACKAGES = new Set(['zod', 'node:crypto']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Static imports and re-exports only: `import(...)` is the lazy loading we want. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm)) {
    // `import type` is erased at build time.
    if (!/^\s*(?:import|export)\s+type\s/.test(match[0])) specifiers.push(match[1]!);
  }
  for (const match of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) specifiers.push(match[1]!);
  return specifiers;
}

const area = (file: string) => relative(SRC, file).split('/')[0]!;

describe('architecture', () => {
  test('pure modules (catalog, sync, codegen, engine) import only pure modules, zod and node:crypto', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC).filter((f) => PURE.includes(area(f)))) {
      for (const specifier of staticImports(file)) {
        const ok = specifier.startsWith('.')
          ? (() => {
              const target = resolve(dirname(file), specifier);
              return PURE.includes(area(target)) || relative(SRC, target) === 'errors.ts';
            })()
          : PURE_PACKAGES.has(specifier);
        if (!ok) violations.push(`${relative(REPO_ROOT, file)} imports ${specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('src/cli/main.ts statically imports nothing: commander and every command load lazily', () => {
    expect(staticImports(join(SRC, 'cli/main.ts'))).toEqual([]);
  });

  test('the guard sees real imports (it can fail)', () => {
    expect(staticImports(join(SRC, 'cli/program.ts'))).toContain('commander');
  });
});
