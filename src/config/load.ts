import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Catalog } from '../catalog/schema.ts';
import { AtmnError, type Issue, type SourceLocation } from '../errors.ts';
import { importBundled, withLineText } from './bundle.ts';
import { displayPath, findConfig, type FindConfigOptions } from './find.ts';

export { displayPath };

export interface LoadedConfig {
  catalog: Catalog;
  warnings: Issue[];
  /** Absolute path of the config file. */
  file: string;
  /** The folder holding it (where `.atmn/` state lives). */
  dir: string;
}

export type LoadConfigOptions = FindConfigOptions;

/**
 * Finds, bundles, evaluates and validates the config (issue #2, item 3). Throws
 * AtmnError: config_not_found, config_syntax, config_runtime, or config_invalid with
 * every issue. Locations in errors and warnings are relative to `cwd` when inside it.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const file = findConfig(options);
  // zod and the rules load while esbuild (a child process) bundles the config.
  const validation = import('./validate.ts');
  validation.catch(() => undefined);
  let exports: Record<string, unknown>;
  try {
    exports = await importBundled(file, 'config');
  } catch (error) {
    if (error instanceof AtmnError && error.location) {
      throw new AtmnError(error.code, error.message, { ...errorInit(error), location: displayLocation(error.location, options.cwd) });
    }
    throw error;
  }
  const sources = new Map<string, string | undefined>();
  const readSource = (path: string): string | undefined => {
    if (!sources.has(path)) sources.set(path, readOrUndefined(path));
    return sources.get(path);
  };
  const { validateConfig } = await validation;
  const result = validateConfig(exports, { readSource });
  const warnings = result.warnings.map((issue) => displayIssue(issue, options.cwd));
  if (!result.catalog) {
    const count = result.errors.length;
    throw new AtmnError('config_invalid', `${displayPath(file, options.cwd)} is not a valid config`, {
      issues: result.errors.map((issue) => displayIssue(issue, options.cwd)),
      hint: count === 1 ? 'fix the error above and run the command again' : 'fix the errors above and run the command again',
      details: { file, warnings },
    });
  }
  return { catalog: result.catalog, warnings, file, dir: dirname(file) };
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function displayLocation(location: SourceLocation, cwd: string): SourceLocation {
  return { ...withLineText(location), file: displayPath(location.file, cwd) || basename(location.file) };
}

function displayIssue(issue: Issue, cwd: string): Issue {
  return issue.location ? { ...issue, location: displayLocation(issue.location, cwd) } : issue;
}

function errorInit(error: AtmnError): { hint?: string; details: Record<string, unknown> } {
  return { ...(error.hint ? { hint: error.hint } : {}), details: error.details };
}
