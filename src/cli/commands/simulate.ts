import { AtmnError } from '../../errors.ts';
import type { CliContext } from '../context.ts';

export async function simulateCommand(_opts: Record<string, unknown>, _ctx: CliContext, _args: string[]): Promise<number> {
  throw new AtmnError('usage', 'atmn simulate is not implemented yet.');
}
