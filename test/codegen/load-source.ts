import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../src/catalog/schema.ts';
import { importBundled } from '../../src/config/bundle.ts';
import { validateConfig } from '../../src/config/validate.ts';
import type { Issue } from '../../src/errors.ts';
import { tempProject } from '../support/cli.ts';

/**
 * Loads TypeScript config source the way `atmn` does (esbuild bundle with 'atmn' aliased to
 * the DSL, evaluate, validate) from a real file in a temp folder, and returns the Catalog.
 */
export async function loadSource(source: string): Promise<{ catalog: Catalog | null; errors: Issue[]; warnings: Issue[] }> {
  const dir = tempProject({ 'autumn.config.ts': source });
  try {
    return validateConfig(await importBundled(join(dir, 'autumn.config.ts'), 'config'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function loadCatalog(source: string): Promise<Catalog> {
  const result = await loadSource(source);
  if (!result.catalog) throw new Error(`config does not validate:\n${result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}\n---\n${source}`);
  return result.catalog;
}
