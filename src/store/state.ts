import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { Catalog, Id, Plan, emptyCatalog } from '../catalog/schema.ts';
import { AtmnError } from '../errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { readOptionalText } from './optional-file.ts';
import { createStateDir } from './gitignore.ts';

/**
 * The durable local state in `.atmn/` beside the config, shared by the embedded sandbox
 * target and `atmn dev` (design.md "One local state"). Layout:
 *
 *   .atmn/
 *     keys.json               the dev server's keys (written by `atmn dev`)
 *     dev.lock                held by a running `atmn dev` (lock.ts)
 *     <env>/catalog.json      the catalog of environment `sandbox` or `live` (this file)
 *     <env>/holders.json      who holds which plan/feature (written by `atmn dev`, read here)
 *
 * Every write goes through writeFileAtomic, so a crash never leaves a torn file.
 */

export const STATE_FORMAT_VERSION = 1;
export type Environment = 'sandbox' | 'live';

export const StoredCatalog = z.object({
  format_version: z.literal(STATE_FORMAT_VERSION),
  catalog: Catalog,
  /** Earlier versions of each plan, oldest first; the current one is version `length + 1`. */
  plan_versions: z.record(Id, z.array(Plan)),
});
export type StoredCatalog = z.infer<typeof StoredCatalog>;

/**
 * Customers and entities holding each plan (any version) and balances of each feature.
 * The hook through which the dev server's engine state reaches push decisions: `atmn dev`
 * writes this file with writeHolders whenever attachments change; absent means nobody.
 */
export const StoredHolders = z.object({
  format_version: z.literal(STATE_FORMAT_VERSION),
  plans: z.record(z.string(), z.number().int().nonnegative()),
  features: z.record(z.string(), z.number().int().nonnegative()),
});
export type StoredHolders = z.infer<typeof StoredHolders>;

export function catalogFile(stateDir: string, env: Environment): string {
  return join(stateDir, env, 'catalog.json');
}

function holdersFile(stateDir: string, env: Environment): string {
  return join(stateDir, env, 'holders.json');
}

export function emptyStoredCatalog(): StoredCatalog {
  return { format_version: STATE_FORMAT_VERSION, catalog: emptyCatalog(), plan_versions: {} };
}

/** The stored catalog, or an empty one when nothing was pushed yet. */
export function readStoredCatalog(stateDir: string, env: Environment): StoredCatalog {
  const file = catalogFile(stateDir, env);
  const raw = readJson(file);
  if (raw === undefined) return emptyStoredCatalog();
  return parseStored(StoredCatalog, raw, file);
}

export function writeStoredCatalog(stateDir: string, env: Environment, stored: StoredCatalog): void {
  writeStateFile(stateDir, catalogFile(stateDir, env), JSON.stringify(stored, null, 2) + '\n');
}

export function readHolders(stateDir: string, env: Environment): Pick<StoredHolders, 'plans' | 'features'> {
  const file = holdersFile(stateDir, env);
  const raw = readJson(file);
  if (raw === undefined) return { plans: {}, features: {} };
  const { plans, features } = parseStored(StoredHolders, raw, file);
  return { plans, features };
}

/** For `atmn dev`: record who holds what, so the next push sees it. */
export function writeHolders(stateDir: string, env: Environment, holders: Pick<StoredHolders, 'plans' | 'features'>): void {
  const stored: StoredHolders = { format_version: STATE_FORMAT_VERSION, ...holders };
  writeStateFile(stateDir, holdersFile(stateDir, env), JSON.stringify(stored, null, 2) + '\n');
}

/** Creates `.atmn/<env>/` on first use and adds `.atmn/` to the project's .gitignore. */
function writeStateFile(stateDir: string, file: string, contents: string): void {
  if (!existsSync(stateDir)) createStateDir(stateDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, contents);
}

function readJson(file: string): unknown {
  const text = readOptionalText(file, `read the local state ${file}`, 'state_corrupt');
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw corrupt(file, 'it is not valid JSON');
  }
}

function parseStored<T extends z.ZodType>(schema: T, raw: unknown, file: string): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw corrupt(file, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

function corrupt(file: string, why: string): AtmnError {
  return new AtmnError('state_corrupt', `The local state ${file} cannot be read: ${why}.`, {
    hint: 'atmn writes this file atomically, so it was edited by hand or by another tool. Delete it to start over, then run `atmn push` again.',
  });
}
