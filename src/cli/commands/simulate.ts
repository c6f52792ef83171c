import { readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { displayPath, loadConfig, type LoadedConfig } from '../../config/load.ts';
import { AtmnError, isAtmnError, type Issue } from '../../errors.ts';
import { loadScenarioFile } from '../../simulate/load.ts';
import { buildQuickScenario } from '../../simulate/quick-form.ts';
import { checkReferences } from '../../simulate/references.ts';
import { renderRunsJson } from '../../simulate/render-json.ts';
import { renderRunText } from '../../simulate/render-text.ts';
import { runScenario } from '../../simulate/run.ts';
import type { Scenario } from '../../simulate/schema.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';
import { formatIssue } from '../format-error.ts';

/**
 * `atmn simulate [scenarios...]`: runs scenario files, or a quick-form scenario
 * built from flags, against the config on a fresh in-memory engine. Exit 0 when every
 * step passed, 1 when one failed or the input is bad.
 */
interface SimulateFlags {
  config?: string;
  json?: boolean;
  plan?: string;
  seats?: string;
  track?: string[];
  months?: string;
  customer?: string;
  entityOrder?: 'created' | 'id';
}

interface Prepared {
  scenario: Scenario;
  name: string;
  file: string | null;
  config: LoadedConfig;
}

export async function simulateCommand(opts: Record<string, unknown>, ctx: CliContext, args: string[]): Promise<number> {
  const flags = opts as SimulateFlags;
  const configs = new ConfigCache(ctx);
  const prepared = flags.plan !== undefined ? [await prepareQuickForm(flags, ctx, args, configs)] : await prepareFiles(flags, ctx, args, configs);

  const runs = prepared.map((p) => {
    const scenario = flags.entityOrder ? { ...p.scenario, entityOrder: flags.entityOrder } : p.scenario;
    const run = runScenario({ scenario, catalog: p.config.catalog, name: p.name, file: p.file, configFile: displayPath(p.config.file, ctx.cwd) });
    return { run, catalog: p.config.catalog };
  });

  if (flags.json) ctx.out(JSON.stringify(renderRunsJson(runs), null, 2));
  else ctx.out(runs.map(({ run, catalog }) => renderRunText(run, { color: ctx.color, catalog })).join('\n\n\n'));
  return runs.some(({ run }) => run.status === 'failed') ? EXIT.error : EXIT.ok;
}

async function prepareQuickForm(flags: SimulateFlags, ctx: CliContext, args: string[], configs: ConfigCache): Promise<Prepared> {
  if (args.length > 0) {
    throw new AtmnError('usage', `--plan builds a scenario from flags, so it cannot be combined with scenario files (${args.join(', ')})`, {
      hint: 'Run the files without --plan, or drop the file names.',
    });
  }
  const config = await configs.get(flags.config ? resolve(ctx.cwd, flags.config) : undefined, null);
  const { scenario, name } = buildQuickScenario({ ...flags, plan: flags.plan! }, config.catalog);
  return { scenario, name, file: null, config };
}

async function prepareFiles(flags: SimulateFlags, ctx: CliContext, args: string[], configs: ConfigCache): Promise<Prepared[]> {
  const quickOnly = (['seats', 'months', 'customer'] as const).filter((k) => flags[k] !== undefined);
  if (quickOnly.length > 0 || (flags.track ?? []).length > 0) {
    const named = [...quickOnly.map((k) => `--${k}`), ...((flags.track ?? []).length ? ['--track'] : [])];
    throw new AtmnError('usage', `${named.join(', ')} belong${named.length === 1 ? 's' : ''} to the quick form, which needs --plan`, {
      hint: 'Example: atmn simulate --plan team --seats 5 --track summaries=60@seat-1 --months 2',
    });
  }
  const files = args.length > 0 ? args : discoverScenarios(ctx.cwd);
  if (files.length === 0) {
    throw new AtmnError('usage', 'no scenario to run: pass *.scenario.json or *.scenario.ts files, or use the quick form', {
      hint: 'atmn simulate team.scenario.json   or   atmn simulate --plan team --seats 5 --months 1',
    });
  }

  // Every problem of every file at once: the schema, and the ids of every step that parsed.
  const prepared: Prepared[] = [];
  const invalid: { display: string; issues: Issue[] }[] = [];
  for (const arg of files) {
    const absolute = resolve(ctx.cwd, arg);
    const loaded = await loadScenarioFile(absolute, displayPath(absolute, ctx.cwd) || arg);
    const configFile = flags.config ? resolve(ctx.cwd, flags.config) : resolve(dirname(absolute), (loaded.ok ? loaded.scenario.config : loaded.config) ?? 'autumn.config.ts');
    const steps = loaded.ok ? loaded.scenario.steps : loaded.steps;
    const issues = loaded.ok ? [] : [...loaded.issues];
    // A broken config is reported on its own once the scenario is valid; here it only stops the id check.
    const config = loaded.ok ? await configs.get(configFile, flags.config ? null : loaded.displayPath) : await configs.get(configFile, null).catch(() => null);
    if (config) issues.push(...checkReferences(steps, config.catalog, displayPath(config.file, ctx.cwd), loaded.source));
    if (issues.length) invalid.push({ display: loaded.displayPath, issues: sortByPosition(issues) });
    else if (loaded.ok && config) prepared.push({ scenario: loaded.scenario, name: loaded.name, file: loaded.displayPath, config });
  }
  throwIfInvalid(invalid);
  return prepared;
}

/** Issues in file order when they have positions, so the output reads top to bottom. */
function sortByPosition(issues: Issue[]): Issue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => (a.issue.location?.line ?? Infinity) - (b.issue.location?.line ?? Infinity) || (a.issue.location?.column ?? 0) - (b.issue.location?.column ?? 0) || a.index - b.index)
    .map(({ issue }) => issue);
}

function throwIfInvalid(invalid: { display: string; issues: Issue[] }[]): void {
  if (invalid.length === 0) return;
  const several = invalid.length > 1;
  // With several files, an issue without a code frame names its file in its path.
  const issues = invalid.flatMap(({ display, issues }) => issues.map((issue) => (several && !issue.location ? { ...issue, path: `${display}: ${issue.path}` } : issue)));
  const what = several ? `${invalid.length} scenario files are invalid` : `${invalid[0]!.display} is not a valid scenario`;
  throw new AtmnError('scenario_invalid', what, { issues, hint: 'fix the scenario file and run the command again' });
}

/** `atmn simulate` with no files runs every *.scenario.json / *.scenario.ts in the current folder. */
function discoverScenarios(cwd: string): string[] {
  return readdirSync(cwd)
    .filter((name) => /\.scenario\.(json|ts)$/.test(name))
    .sort();
}

/** Loads each config once; prints its warnings once, on stderr. */
class ConfigCache {
  private readonly loaded = new Map<string, Promise<LoadedConfig>>();
  constructor(private readonly ctx: CliContext) {}

  get(file: string | undefined, scenarioDisplay: string | null): Promise<LoadedConfig> {
    const key = file ?? '(default)';
    let entry = this.loaded.get(key);
    if (!entry) {
      entry = this.load(file, scenarioDisplay);
      this.loaded.set(key, entry);
    }
    return entry;
  }

  private async load(file: string | undefined, scenarioDisplay: string | null): Promise<LoadedConfig> {
    try {
      const config = await loadConfig({ cwd: this.ctx.cwd, ...(file ? { config: file } : {}) });
      for (const warning of config.warnings) this.ctx.err(formatIssue(warning, 'warning', this.ctx.color));
      return config;
    } catch (error) {
      if (isAtmnError(error) && error.code === 'config_not_found' && scenarioDisplay && file) {
        throw new AtmnError('config_not_found', `scenario ${scenarioDisplay} runs against ${displayPath(file, this.ctx.cwd) || file}, which does not exist`, {
          hint: 'Set "config" in the scenario (a path relative to the scenario file), or pass --config path/to/autumn.config.ts.',
        });
      }
      throw error;
    }
  }
}
