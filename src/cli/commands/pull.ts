import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Catalog } from '../../catalog/schema.ts';
import { AtmnError, isAtmnError } from '../../errors.ts';
import { generateConfigSource, updateConfigSource } from '../../codegen/index.ts';
import { configPathFor, displayPath } from '../../config/find.ts';
import { loadConfig } from '../../config/load.ts';
import { writeFileAtomic } from '../../store/atomic-write.ts';
import { explainFileSystem } from '../../store/fs-error.ts';
import { countOf } from '../../sync/index.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { kleurFor, openSession, targetJson, warn, type TargetOpts } from '../sync/session.ts';

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
  const file = configPathFor({ cwd: ctx.cwd, config: opts.config });
  const shownFile = (path: string): string => displayPath(path, ctx.cwd) || basename(path);
  const shown = shownFile(file);
  const session = await openSession(ctx, opts, dirname(file));
  let catalog: Catalog;
  try {
    const remote = await session.backend.readCatalog();
    for (const message of remote.warnings) warn(ctx, message);
    catalog = remote.catalog;
  } finally {
    await session.close();
  }
  const features = Object.keys(catalog.features).length;
  const plans = Object.keys(catalog.plans).length;
  const counts = `${countOf(features, 'feature')} and ${countOf(plans, 'plan')}`;
  const result = (status: string, extra: Record<string, unknown>) =>
    JSON.stringify({ format_version: 1, status, target: targetJson(session.target, session.displayStateDir), file: shown, ...extra }, null, 2);
  const exists = existsSync(file);

  if (!opts.force && features === 0 && plans === 0) {
    // A fresh local sandbox, an empty account or a forgotten key has nothing to pull:
    // writing an empty config, or emptying the user's, is never what they meant.
    const force = exists ? '--force empties the file anyway (a backup is kept).' : '--force writes an empty config anyway.';
    throw new AtmnError('usage', exists
      ? `${session.target.name} has no features or plans; pulling would remove everything from ${shown}.`
      : `${session.target.name} has no features or plans; there is nothing to pull into ${shown}.`, {
      hint: session.target.kind === 'sandbox'
        ? `Nothing was pushed to the local sandbox yet. To pull from your Autumn account, set AUTUMN_SECRET_KEY (environment, .env.local or .env); to start a config, run \`atmn init\`. ${force}`
        : `Check the target and the key. ${force}`,
    });
  }

  let summary = { added: [] as string[], updated: [] as string[], removed: [] as string[], unresolved: [] as string[] };
  if (!exists) {
    const source = generateConfigSource(catalog);
    explainFileSystem(`write ${shown}`, () => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, source);
    });
    if (opts.json) ctx.out(result('created', { backup: null, diff: null, ...summary }));
    else ctx.out(`Wrote ${shown} with ${counts} from ${session.target.name}.`);
    return EXIT.ok;
  }

  const existing = explainFileSystem(`read ${shown}`, () => readFileSync(file, 'utf8'));
  let next: string;
  if (opts.force) {
    next = generateConfigSource(catalog);
  } else {
    const current = await loadCurrent(ctx, file, shown);
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
  explainFileSystem(`write the backup ${shownFile(backup)}`, () => writeFileAtomic(backup, existing));
  explainFileSystem(`write ${shown}`, () => writeFileAtomic(file, next));
  const patch = createTwoFilesPatch(`a/${shown}`, `b/${shown}`, existing, next, undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
  if (opts.json) {
    ctx.out(result(opts.force ? 'overwritten' : 'updated', { backup: shownFile(backup), diff: patch, ...summary }));
  } else {
    ctx.out(colorPatch(ctx, patch));
    ctx.err(`${opts.force ? 'Rewrote' : 'Updated'} ${shown} from ${session.target.name} (${counts}); the previous version is in ${shownFile(backup)}.`);
  }
  reportUnresolved(ctx, summary.unresolved, shown);
  return EXIT.ok;
}

/**
 * What the existing file means, so unchanged objects keep the user's text. A file that does
 * not load (an invalid value, a throw) is still updated textually; a file that does not
 * parse is refused, because pull must first find the statements it edits.
 */
async function loadCurrent(ctx: CliContext, file: string, shown: string): Promise<Catalog | null> {
  try {
    return (await loadConfig({ cwd: ctx.cwd, config: file })).catalog;
  } catch (error) {
    if (isAtmnError(error) && error.code === 'config_syntax') {
      throw new AtmnError('config_syntax', `${shown} cannot be parsed, so pull cannot update it in place: ${error.message}`, {
        ...(error.location ? { location: error.location } : {}),
        hint: 'Fix the file at the place shown, or run `atmn pull --force` to rewrite it (a backup is kept).',
      });
    }
    warn(ctx, `${shown} does not load (${error instanceof Error ? error.message : String(error)}); updating its text anyway.`);
    return null;
  }
}

function reportUnresolved(ctx: CliContext, unresolved: string[], shown: string): void {
  if (unresolved.length === 0) return;
  warn(ctx, `${shown} defines ${unresolved.join(', ')} in a way pull cannot edit; those remote changes were not written. Run \`atmn pull --force\` to rewrite the file (a backup is kept).`);
}

function colorPatch(ctx: CliContext, patch: string): string {
  if (!ctx.color) return patch;
  const kleur = kleurFor(ctx);
  return patch
    .split('\n')
    .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? kleur.green(line) : line.startsWith('-') && !line.startsWith('---') ? kleur.red(line) : line.startsWith('@@') ? kleur.cyan(line) : line))
    .join('\n');
}
