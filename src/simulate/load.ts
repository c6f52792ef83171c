import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { AtmnError, type Issue } from '../errors.ts';
import { JsonSyntaxError, locationAt, scanJson, type JsonSource } from './json-source.ts';
import type { Scenario, Step } from './schema.ts';
import { validateScenario } from './validate.ts';

/**
 * Reads one scenario file: `*.scenario.json` (parsed, with positions for code frames) or
 * `*.scenario.ts` (bundled and imported like the config, its default export taken).
 * Returns the scenario or every problem found in it; I/O lives here, not in the runner.
 */
export type LoadedScenario =
  | { ok: true; file: string; displayPath: string; scenario: Scenario; name: string; source: JsonSource | undefined }
  | { ok: false; file: string; displayPath: string; issues: Issue[]; steps: (Step | undefined)[]; config: string | undefined; source: JsonSource | undefined };

const TS_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export async function loadScenarioFile(file: string, displayPath: string): Promise<LoadedScenario> {
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new AtmnError('scenario_not_found', `${displayPath} is a folder, not a scenario file`, {
      hint: `Pass the scenario files inside it (e.g. ${displayPath}/*.scenario.json), or run atmn simulate in that folder to run them all.`,
    });
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new AtmnError('scenario_not_found', `scenario file ${displayPath} does not exist`, {
      hint: 'Pass the path of a *.scenario.json or *.scenario.ts file, or use the quick form: atmn simulate --plan <id> --seats <n>.',
    });
  }
  const extension = extname(file);
  let raw: unknown;
  let source: JsonSource | undefined;
  if (extension === '.json') {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    try {
      source = scanJson(displayPath, text);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      throw new AtmnError('scenario_invalid', `${displayPath} is not valid JSON: ${error.message}`, {
        location: locationAt(displayPath, text, error.offset),
        hint: 'Fix the JSON at the place shown (keys and strings use double quotes; no trailing commas).',
      });
    }
    raw = JSON.parse(text);
  } else if (TS_EXTENSIONS.includes(extension)) {
    const { importBundled } = await import('../config/bundle.ts');
    const module = await importBundled(file, 'scenario').catch((error: unknown) => {
      // Name the file as the user wrote it, like the config's code frames do.
      if (error instanceof AtmnError && error.location?.file === file) {
        throw new AtmnError(error.code, error.message, { ...(error.hint ? { hint: error.hint } : {}), details: error.details, location: { ...error.location, file: displayPath } });
      }
      throw error;
    });
    raw = module.default;
    if (raw === undefined) {
      throw new AtmnError('scenario_invalid', `${displayPath} has no default export`, {
        hint: "Write: import { scenario, attach } from 'atmn'; export default scenario({ steps: [attach('pro')] });",
      });
    }
  } else {
    throw new AtmnError('scenario_invalid', `${displayPath}: unsupported scenario file type '${extension || '(none)'}'`, {
      hint: 'Scenario files end in .scenario.json or .scenario.ts.',
    });
  }

  const validation = validateScenario(raw, source);
  if (!validation.ok) return { ok: false, file, displayPath, issues: validation.issues, steps: validation.steps, config: validation.config, source };
  return { ok: true, file, displayPath, scenario: validation.scenario, name: validation.scenario.name ?? basename(file), source };
}
