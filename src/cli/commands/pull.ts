import { AtmnError } from '../../errors.ts';
import type { CliContext } from '../context.ts';

export async function pullCommand(_opts: Record<string, unknown>, _ctx: CliContext, _args: string[]): Promise<number> {
  throw new AtmnError('usage', 'atmn pull is not implemented yet.');
}
