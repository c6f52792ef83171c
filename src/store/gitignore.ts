import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ENTRY = '.atmn/';
const COVERS = new Set(['.atmn', '.atmn/', '/.atmn', '/.atmn/', '.atmn/*', '/.atmn/*', '.atmn/**']);

/**
 * On first use of `.atmn/`, makes sure the project's .gitignore (beside the config) ignores
 * it: the local state holds keys and test customers that do not belong in git (issue #4).
 * Returns true when it added the entry.
 */
export function ensureGitignored(projectDir: string): boolean {
  const file = join(projectDir, '.gitignore');
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (existing !== null && existing.split(/\r?\n/).some((line) => COVERS.has(line.trim()))) return false;
  const prefix = existing === null || existing === '' ? '' : existing.endsWith('\n') ? '' : '\n';
  const block = `${prefix}# atmn local sandbox state\n${ENTRY}\n`;
  writeFileSync(file, (existing ?? '') + block);
  return true;
}
