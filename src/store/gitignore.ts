import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const ENTRY = '.atmn/';
const COVERS = new Set(['.atmn', '.atmn/', '/.atmn', '/.atmn/', '.atmn/*', '/.atmn/*', '.atmn/**', '**/.atmn', '**/.atmn/']);

/**
 * On first use of `.atmn/`, makes sure the project's .gitignore ignores it: the local state
 * holds keys and test customers that do not belong in git (issue #4). The project's
 * .gitignore is the one beside the config, else the one at the root of the git repository
 * holding it (`.atmn/` without a leading slash matches at any depth), else a new one beside
 * the config. Returns the file it added the entry to, or null when it was already covered.
 */
export function ensureGitignored(projectDir: string): string | null {
  const file = gitignoreFor(projectDir);
  // Something odd (a folder) named .gitignore is not ours to touch; git does not read it either.
  if (existsSync(file) && !statSync(file).isFile()) return null;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (existing !== null && existing.split(/\r?\n/).some((line) => COVERS.has(line.trim()))) return null;
  const prefix = existing === null || existing === '' || existing.endsWith('\n') ? '' : '\n';
  writeFileSync(file, `${existing ?? ''}${prefix}# atmn local sandbox state\n${ENTRY}\n`);
  return file;
}

/**
 * Creates a state folder. A `.atmn/` folder is also added to the project's .gitignore, on a
 * best-effort basis: a .gitignore atmn cannot write must not lose the state itself. A folder
 * chosen with `atmn dev --data` is the user's to ignore.
 */
export function createStateDir(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true });
  if (basename(stateDir) !== '.atmn') return;
  try {
    ensureGitignored(dirname(stateDir));
  } catch {
    // best effort, see above
  }
}

function gitignoreFor(projectDir: string): string {
  const beside = join(projectDir, '.gitignore');
  if (existsSync(beside)) return beside;
  for (let dir = projectDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return join(dir, '.gitignore');
    if (dirname(dir) === dir) return beside;
  }
}
