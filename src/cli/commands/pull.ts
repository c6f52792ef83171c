import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import kleur from 'kleur';
import type { Catalog } from '../../catalog/schema.ts';
import { AtmnError } from '../../errors.ts';
import { generateConfigSource, updateConfigSource } from '../../codegen/index.ts';
import { CONFIG_FILE, displayPath, loadConfig } from '../../config/load.ts';
import { writeFileAtomic } from '../../store/atomic-write.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { openSession, targetJson, warn, type TargetOpts } from '../sync/session.ts';

interface PullOpts extends TargetOpts {
  config?: string;
  force?: boolean;
  json?: boolean;
}

/**
 * `atmn pull` (issue #4 item 5): remote → Catalog → TypeScript. With no config it writes a
 * new one. With a config it updates it in place — the user's other code and comments stay —
 * or rewrites it with --force; either way `<config>.bak` holds the old text first, and the
 * file's unified diff is printed. Round trip: pull, then diff exits 0.
 */
export async function pullCommand(rawOpts: Record<string, unknown>, ctx: CliContext, _args: string[]): Promise<number> {
  const opts = rawOpts as PullOpts;
  const file = configPathFor(ctx.cwd, opts.config);
  const shown = displayPath(file, ctx.cwd) || basename(file);
  const session = await openSession(ctx, opts, dirname(file));
  let catalog: Catalog;
  try {
    const remote = await session.backend.readCatalog();
    for (const message of remote.warnings) warn(ctx, message);
    catalog = remote.catalog;
  } finally {
    await session.close();
  }
  const counts = `${count(Object.keys(catalog.features).length, 'feature')} and ${count(Object.keys(catalog.plans).length, 'plan')}`;
  const result = (status: string, extra: Record<string, unknown>) =>
    JSON.stringify({ format_version: 1, status, target: targetJson(session.target, session.displayStateDir), file: shown, ...extra }, null, 2);

  if (!existsSync(file)) {
    const source = generateConfigSource(catalog);
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, source);
    if (opts.json) ctx.out(result('created', { backup: null, diff: null, added: [], updated: [], removed: [], unresolved: [] }));
    else ctx.out(`Wrote ${shown} with ${counts} from ${session.target.name}.`);
    return EXIT.ok;
  }

  const existing = readFileSync(file, 'utf8');
  if (!opts.force && Object.keys(catalog.features).length === 0 && Object.keys(catalog.plans).length === 0) {
    // A fresh local sandbox (or an empty account) would empty the user's config: make them say so.
    throw new AtmnError('usage', `${session.target.name} has no features or plans; pulling would remove everything from ${shown}.`, {
      hint: session.target.kind === 'sandbox' ? 'Run `atmn push` first, or use --force to overwrite the file (a backup is kept).' : 'Check the target and key, or use --force to overwrite the file (a backup is kept).',
    });
  }
  let next: string;
  let summary = { added: [] as string[], updated: [] as string[], removed: [] as string[], unresolved: [] as string[] };
  if (opts.force) {
    next = generateConfigSource(catalog);
  } else {
    const current = await loadCurrent(ctx, file);
    const update = updateConfigSource(existing, catalog, current ? { current } : {});
    for (const message of update.warnings) warn(ctx, message);
    next = update.source;
    summary = { added: update.added, updated: update.updated, removed: update.removed, unresolved: update.unresolved };
  }
  if (next === existing) {
    if (opts.json) ctx.out(result('unchanged', { backup: null, diff: null, ...summary }));
    else ctx.out(`${shown} is already up to date with ${session.target.name}.`);
    reportUnresolved(ctx, summary.unresolved, shown);
    return EXIT.ok;
  }
  const backup = `${file}.bak`;
  writeFileAtomic(backup, existing);
  writeFileAtomic(file, next);
  const patch = createTwoFilesPatch(`a/${shown}`, `b/${shown}`, existing, next, undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
  if (opts.json) {
    ctx.out(result(opts.force ? 'overwritten' : 'updated', { backup: displayPath(backup, ctx.cwd) || basename(backup), diff: patch, ...summary }));
  } else {
    ctx.out(colorPatch(ctx, patch));
    ctx.err(`${opts.force ? 'Rewrote' : 'Updated'} ${shown} from ${session.target.name} (${counts}); the previous version is in ${displayPath(backup, ctx.cwd) || basename(backup)}.`);
  }
  reportUnresolved(ctx, summary.unresolved, shown);
  return EXIT.ok;
}

/** `--config` names a file or a folder; without it, ./autumn.config.ts. The file need not exist yet. */
function configPathFor(cwd: string, config: string | undefined): string {
  const candidate = config === undefined ? join(cwd, CONFIG_FILE) : resolve(cwd, config);
  try {
    if (statSync(candidate).isDirectory()) return join(candidate, CONFIG_FILE);
  } catch {
    // does not exist yet: pull creates it
  }
  return candidate;
}

/** What the existing file means, so unchanged objects keep the user's text; a broken file is still updated textually. */
async function loadCurrent(ctx: CliContext, file: string): Promise<Catalog | null> {
  try {
    return (await loadConfig({ cwd: ctx.cwd, config: file })).catalog;
  } catch (error) {
    warn(ctx, `${displayPath(file, ctx.cwd) || basename(file)} does not load (${error instanceof Error ? error.message : String(error)}); updating its text anyway.`);
    return null;
  }
}

function reportUnresolved(ctx: CliContext, unresolved: string[], shown: string): void {
  if (unresolved.length === 0) return;
  warn(ctx, `${shown} defines ${unresolved.join(', ')} in a way pull cannot edit; those remote changes were not written. Run \`atmn pull --force\` to rewrite the file (a backup is kept).`);
}

function colorPatch(ctx: CliContext, patch: string): string {
  if (!ctx.color) return patch;
  kleur.enabled = true;
  return patch
    .split('\n')
    .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? kleur.green(line) : line.startsWith('-') && !line.startsWith('---') ? kleur.red(line) : line.startsWith('@@') ? kleur.cyan(line) : line))
    .join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
