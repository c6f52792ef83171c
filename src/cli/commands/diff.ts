import { AtmnError } from '../../errors.ts';
import type { CliContext } from '../context.ts';

export async function diffCommand(_opts: Record<string, unknown>, _ctx: CliContext, _args: string[]): Promise<number> {
  throw new AtmnError('usage', 'atmn diff is not implemented yet.');
}
