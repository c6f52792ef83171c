import kleur from 'kleur';
import { sortedCatalog } from '../../catalog/canonical.ts';
import { renderSummary } from '../../catalog/summary.ts';
import { displayPath, loadConfig, type LoadedConfig } from '../../config/load.ts';
import { AtmnError, type Issue } from '../../errors.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { formatIssue } from '../format-error.ts';

/**
 * `atmn validate` (issue #2, item 5): load the config, print warnings (stderr) and a
 * compact summary of the Catalog (stdout), exit 0; or print every error and exit 1
 * (reportError renders the thrown config_invalid). `--json` prints one document with the
 * normalized Catalog, features and plans in sorted id order.
 */
export async function validateCommand(opts: Record<string, unknown>, ctx: CliContext, _args: string[]): Promise<number> {
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig({ cwd: ctx.cwd, ...(typeof opts.config === 'string' ? { config: opts.config } : {}) });
  } catch (error) {
    // The errors are printed by reportError; the warnings found alongside them come first.
    const warnings = error instanceof AtmnError ? error.details.warnings : undefined;
    if (!opts.json && Array.isArray(warnings)) for (const warning of warnings as Issue[]) ctx.err(formatIssue(warning, 'warning', ctx.color));
    throw error;
  }
  const file = displayPath(loaded.file, ctx.cwd) || loaded.file;
  if (opts.json) {
    ctx.out(JSON.stringify({ format_version: 1, status: 'ok', file, catalog: sortedCatalog(loaded.catalog), warnings: loaded.warnings }, null, 2));
    return EXIT.ok;
  }
  for (const warning of loaded.warnings) ctx.err(formatIssue(warning, 'warning', ctx.color));
  kleur.enabled = ctx.color;
  const features = Object.keys(loaded.catalog.features).length;
  const plans = Object.keys(loaded.catalog.plans).length;
  const warnings = loaded.warnings.length ? `, ${loaded.warnings.length} warning${loaded.warnings.length === 1 ? '' : 's'}` : '';
  ctx.out(`${kleur.green('✓')} ${file} is valid: ${count(features, 'feature')}, ${count(plans, 'plan')}${warnings}`);
  ctx.out('');
  ctx.out(renderSummary(loaded.catalog, { bold: (t) => kleur.bold(t), dim: (t) => kleur.dim(t) }));
  return EXIT.ok;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
