import { AtmnError } from '../../errors.ts';
import type { CliContext } from '../context.ts';

export async function initCommand(_opts: Record<string, unknown>, _ctx: CliContext, _args: string[]): Promise<number> {
  throw new AtmnError('usage', 'atmn init is not implemented yet.');
}
