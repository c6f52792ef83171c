import type {
  AttachResult,
  BalanceView,
  CheckResult,
  CreateEntitiesResult,
  DeleteEntityResult,
  DetachResult,
  EngineEvent,
  EntityInfo,
  Invoice,
  SeatWarning,
  TrackResult,
} from '../engine/index.ts';
import type { PeriodClock } from './periods.ts';
import type { ActionKey, Scenario, Step } from './schema.ts';

/**
 * What a scenario run produced: the ledger both reports render (text and JSON). Output
 * only, never parsed, so these are plain types rather than schemas. Instants are epoch ms.
 */

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepError {
  code: string;
  message: string;
  hint?: string;
}

/** One compared key of an expectation. */
export interface Mismatch {
  key: string;
  expected: unknown;
  actual: unknown;
}

/** A balance whose raw amount changed during a step (null: it did not exist on that side). */
export interface BalanceChange {
  customer_id: string;
  balance_id: string;
  feature_id: string;
  plan_id: string;
  owner: 'customer' | 'slice' | 'entity';
  entity_id: string | null;
  unlimited: boolean;
  /** Raw balance (usage counter for unlimited balances). */
  before: number | null;
  after: number | null;
}

export type StepResult =
  | { action: 'attach'; attach: AttachResult }
  | { action: 'detach'; detach: DetachResult }
  | { action: 'createEntity'; createEntity: CreateEntitiesResult; inUse: number; featureId: string }
  | { action: 'deleteEntity'; deleteEntity: DeleteEntityResult; inUse: number; featureId: string }
  | { action: 'track'; track: TrackResult }
  | { action: 'check'; check: CheckResult }
  | { action: 'advance'; from: number; to: number }
  | { action: 'expect'; actual: Record<string, unknown>; mismatches: Mismatch[] };

export interface StepRecord {
  /** 1-based, as the report numbers steps. */
  number: number;
  action: ActionKey;
  customer: string;
  step: Step;
  status: StepStatus;
  /** The clock when the step started. */
  at: number;
  result: StepResult | null;
  /** The error the step raised (expected or not). */
  error: StepError | null;
  /** Why the step failed, in one sentence; null unless status is failed. */
  failure: string | null;
  mismatches: Mismatch[];
  /** Invoices issued during the step (every customer), in issue order. */
  invoices: Invoice[];
  events: EngineEvent[];
  changes: BalanceChange[];
  warnings: SeatWarning[];
}

export interface CustomerFinalState {
  id: string;
  now: number;
  entities: EntityInfo[];
  /** Customer-level view (R4.4) of every non-boolean feature, keyed by feature id. */
  balances: Record<string, BalanceView>;
  /** Each live entity's own balances (its slices and entity-attached balances), keyed by entity then feature. */
  entityBalances: Record<string, Record<string, OwnFigures>>;
  invoices: Invoice[];
  events: EngineEvent[];
  /** Service periods for invoice expectations and the report; null without a recurring price. */
  periods: PeriodClock | null;
  attachmentSeq: Map<string, number>;
}

/** An entity's own figures for one feature: its slices plus its entity-attached balances. */
export interface OwnFigures {
  granted: number;
  remaining: number;
  usage: number;
  unlimited: boolean;
}

export interface ScenarioRun {
  scenario: Scenario;
  name: string;
  /** Display paths, as the CLI resolved them. */
  file: string | null;
  configFile: string;
  status: 'passed' | 'failed';
  start: number;
  end: number;
  /** What each customer got at `start`: its autoEnable plans and their invoices. */
  setup: { customer: string; plans: string[]; invoices: Invoice[] }[];
  steps: StepRecord[];
  customers: CustomerFinalState[];
}
