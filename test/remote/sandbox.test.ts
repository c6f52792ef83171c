import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtmnError } from '../../src/errors.ts';
import { SandboxBackend } from '../../src/remote/sandbox.ts';
import { resolveTarget } from '../../src/remote/target.ts';
import type { ApplyStep } from '../../src/sync/index.ts';
import { tempProject } from '../support/cli.ts';
import { feature, item, plan } from '../sync/catalog-builders.ts';

/** The embedded local sandbox backend on real files (issue #4 item 1). */

function sandbox(dir: string): SandboxBackend {
  const target = resolveTarget({ flags: {}, env: {}, cwd: dir, stateDir: join(dir, '.atmn') });
  expect(target.kind).toBe('sandbox');
  return new SandboxBackend(target, '.atmn/');
}

const seats = feature('seats', { consumable: false });
const createSeats: ApplyStep = { phase: 'features', action: 'create', id: 'seats', entity: 'feature', feature: seats };

async function failure(promise: Promise<unknown>): Promise<AtmnError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AtmnError);
  return error as AtmnError;
}

describe('SandboxBackend', () => {
  it('a state folder it cannot write is a clear error naming the folder, not a crash', async () => {
    const dir = tempProject();
    const backend = sandbox(dir);
    await backend.readCatalog(); // nothing pushed yet: reads as empty
    writeFileSync(join(dir, '.atmn'), 'a file where the state folder should be');
    const error = await failure(backend.apply(createSeats));
    expect(error.code).toBe('io_error');
    expect(error.message).toBe('Cannot write the local sandbox state in .atmn/: a part of the path is a file, not a folder (ENOTDIR).');
    expect(error.hint).toBe('Move that file out of the way, or choose another path.');
    await backend.close();
  });

  it('archives and unarchives what it has; an unknown id is not_found', async () => {
    const dir = tempProject();
    const backend = sandbox(dir);
    await backend.apply(createSeats);
    await backend.apply({ ...createSeats, phase: 'feature_removals', action: 'archive' });
    const stored = () => JSON.parse(readFileSync(join(dir, '.atmn/sandbox/catalog.json'), 'utf8')) as { catalog: { features: Record<string, { archived: boolean }> } };
    expect(stored().catalog.features.seats!.archived).toBe(true);
    await backend.apply({ ...createSeats, phase: 'unarchive', action: 'unarchive' });
    expect(stored().catalog.features.seats!.archived).toBe(false);

    const pro = plan('pro');
    const error = await failure(backend.apply({ phase: 'plan_removals', action: 'archive', id: 'pro', entity: 'plan', plan: pro, intent: null }));
    expect(error.code).toBe('plan_not_found');
    expect(error.message).toBe('Cannot archive plan pro: the local sandbox has no such plan.');
    await backend.close();
  });

  it('refuses to delete a feature a plan still uses, like atmn dev', async () => {
    const dir = tempProject();
    const backend = sandbox(dir);
    await backend.apply(createSeats);
    await backend.apply({ phase: 'plans', action: 'create', id: 'team', entity: 'plan', plan: plan('team', [item('seats', { included: 1 })]), intent: null });
    const error = await failure(backend.apply({ ...createSeats, phase: 'feature_removals', action: 'delete' }));
    expect(error.code).toBe('feature_in_use');
    expect(error.message).toBe('Cannot delete feature seats: plan team still uses it.');
    await backend.close();
  });

  it('writes the state even when .gitignore cannot be written (a folder named .gitignore)', async () => {
    const dir = tempProject();
    mkdirSync(join(dir, '.gitignore'));
    const backend = sandbox(dir);
    await backend.apply(createSeats);
    expect(Object.keys((await backend.readCatalog()).catalog.features)).toEqual(['seats']);
    await backend.close();
  });
});
