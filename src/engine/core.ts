import type { Catalog } from '../catalog/schema.ts';
import type { CustomerRec } from './model.ts';
import type { EntityOrder } from './types.ts';

/** Engine-wide state shared by the operation modules. Counters make every id deterministic (I9.12). */
export interface Core {
  catalog: Catalog;
  entityOrder: EntityOrder;
  customers: Map<string, CustomerRec>;
  counters: { balance: number; attachment: number; invoice: number; event: number };
}

export const nextBalanceId = (core: Core): { id: string; seq: number } => {
  const seq = ++core.counters.balance;
  return { id: `bal_${seq}`, seq };
};
