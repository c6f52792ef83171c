import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Autumn-compatible catalog server for tests (issue #4 acceptance): real HTTP on
 * 127.0.0.1, a random port, an in-memory catalog in wire format (spec/wire.md §2–§3.1).
 * It is written independently of src/remote so tests check the wire, not our own mapping
 * mirrored back. It checks the bearer key, records every request, can be told who holds
 * which plan, and can fail the Nth write (before or after applying it).
 */

export type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface WireServerOptions {
  key?: string;
  /** plan id → number of customers holding it (any version). */
  planHolders?: Record<string, number>;
  /** feature id → customers with a balance of it. */
  featureHolders?: Record<string, number>;
  org?: { id: string; name: string; slug: string };
}

export interface WireServer {
  url: string;
  key: string;
  requests: RecordedRequest[];
  /** Latest version of every feature / plan, archived ones included, keyed by id. */
  features(): Record<string, Json>;
  plans(): Record<string, Json>;
  /** Every stored version of a plan, oldest first. */
  planVersions(id: string): Json[];
  /** Writes (POST/DELETE to features or products) received so far, failed ones included. */
  writeCount(): number;
  setPlanHolders(holders: Record<string, number>): void;
  /** The nth write from now on gets 500; `after` applies it first (the answer is lost). */
  failWrite(nth: number, mode?: 'before' | 'after'): void;
  /** The next n reads get 503 (retry tests). */
  failReads(n: number): void;
  /** Seeds wire objects directly, bypassing the routes (for pull tests). */
  seed(features: Json[], plans: Json[]): void;
  close(): Promise<void>;
}

export const TEST_KEY = 'am_sk_test_wireserverkey0000abcd';

export async function startWireServer(options: WireServerOptions = {}): Promise<WireServer> {
  const key = options.key ?? TEST_KEY;
  const features = new Map<string, Json>();
  const plans = new Map<string, Json[]>();
  let planHolders = { ...(options.planHolders ?? {}) };
  const featureHolders = { ...(options.featureHolders ?? {}) };
  const requests: RecordedRequest[] = [];
  let writes = 0;
  let failAt: { n: number; mode: 'before' | 'after' } | null = null;
  let readFailures = 0;
  let clock = 1_700_000_000_000;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error), code: 'internal_error' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const text = await readBody(req);
    let body: unknown = {};
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { message: 'Malformed JSON', code: 'invalid_input' });
      }
    }
    requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body: text.length ? body : undefined });
    if (req.headers.authorization !== `Bearer ${key}`) {
      return send(res, 401, { message: 'Invalid secret key. The valid keys are printed when the server starts.', code: 'unauthorized' });
    }
    const b = (body ?? {}) as Json;
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const isWrite = (method === 'POST' || method === 'DELETE') && /^\/v1\/(features|products)(\/[^/]+)?$/.test(path);
    if (!isWrite && readFailures > 0 && path !== '/v1/organization/me') {
      readFailures--;
      return send(res, 503, { message: 'try again', code: 'internal_error' });
    }
    let failAfter = false;
    if (isWrite) {
      writes++;
      if (failAt && writes === failAt.n) {
        if (failAt.mode === 'before') return send(res, 500, { message: `injected failure on write ${writes}`, code: 'internal_error' });
        failAfter = true;
      }
    }
    const [status, payload] = route(method, path, url.searchParams, b);
    if (failAfter && status === 200) return send(res, 500, { message: `injected failure after write ${writes}`, code: 'internal_error' });
    send(res, status, payload);
  }

  function route(method: string, path: string, query: URLSearchParams, b: Json): [number, unknown] {
    if (method === 'POST' && path === '/v1/features.list') return [200, { list: [...features.values()] }];
    if (method === 'POST' && path === '/v1/plans.list') {
      const list = [...plans.values()].map((versions) => versions[versions.length - 1]!).filter((p) => b.include_archived === true || !p.archived);
      return [200, { list }];
    }
    if (method === 'GET' && path === '/v1/organization/me') {
      const org = options.org ?? { id: 'org_test', name: 'Test Org', slug: 'test-org' };
      return [200, { ...org, env: key.includes('_live_') ? 'live' : 'sandbox', user: null }];
    }
    if (method === 'POST' && path === '/v1/catalog.preview_update') return [200, preview(b)];
    if (method === 'POST' && path === '/v1/features') {
      const id = String(b.id ?? b.feature_id ?? '');
      if (!id) return err(400, 'invalid_input', 'id is required');
      if (features.has(id)) return err(409, 'duplicate_feature_id', `Feature ${id} already exists`);
      features.set(id, normaliseFeature({ ...b, id, archived: b.archived === true }));
      return [200, features.get(id)];
    }
    let m = /^\/v1\/features\/([^/]+)$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const stored = features.get(id);
      if (!stored) return err(404, 'feature_not_found', `Feature ${id} not found`);
      if (method === 'DELETE') {
        const used = [...plans.values()].some((vs) => vs.some((p) => (p.items as Json[]).some((i) => i.feature_id === id || i.entity_feature_id === id)));
        if (used) return err(409, 'feature_in_use', `Feature ${id} is used by a plan`);
        features.delete(id);
        return [200, { success: true }];
      }
      if (b.id !== undefined && b.id !== id) return err(400, 'invalid_input', 'renames are not supported');
      features.set(id, normaliseFeature({ ...stored, ...b, id }));
      return [200, features.get(id)];
    }
    if (method === 'POST' && path === '/v1/products') {
      const id = String(b.id ?? b.plan_id ?? '');
      if (!id) return err(400, 'invalid_input', 'id is required');
      if (plans.has(id)) return err(409, 'product_already_exists', `Plan ${id} already exists`);
      const missing = missingFeature(b);
      if (missing) return err(404, 'feature_not_found', `Feature ${missing} not found`);
      plans.set(id, [normalisePlan({ ...b, id, archived: b.archived === true }, 1)]);
      return [200, plans.get(id)![0]];
    }
    m = /^\/v1\/products\/([^/]+)$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const versions = plans.get(id);
      if (!versions) return err(404, 'plan_not_found', `Plan ${id} not found`);
      if (method === 'DELETE') {
        if ((planHolders[id] ?? 0) > 0) return err(409, 'plan_has_customers', `Plan ${id} has customers`);
        if (query.get('all_versions') === 'true' || versions.length === 1) plans.delete(id);
        else versions.pop();
        return [200, { success: true }];
      }
      if (b.id !== undefined && b.id !== id) return err(400, 'invalid_input', 'renames are not supported');
      const missing = missingFeature(b);
      if (missing) return err(404, 'feature_not_found', `Feature ${missing} not found`);
      const latest = versions[versions.length - 1]!;
      const { force_version, disable_version, all_versions, ...fields } = b;
      const next = normalisePlan({ ...latest, ...fields, id }, latest.version as number);
      const versionedChange = ['price', 'items', 'free_trial'].some((k) => JSON.stringify(next[k]) !== JSON.stringify(latest[k]));
      if (all_versions === true) {
        for (let i = 0; i < versions.length; i++) versions[i] = normalisePlan({ ...versions[i]!, ...fields, id }, versions[i]!.version as number);
      } else if (force_version === true || (versionedChange && disable_version !== true && (planHolders[id] ?? 0) > 0)) {
        versions.push(normalisePlan({ ...next }, (latest.version as number) + 1));
      } else {
        versions[versions.length - 1] = next;
      }
      if (b.archived !== undefined) for (const v of versions) v.archived = b.archived === true;
      return [200, versions[versions.length - 1]];
    }
    return err(404, 'not_found', `Route not found: ${method} ${path}`);
  }

  function preview(b: Json): Json {
    const requestedPlans = new Set(((b.plans as Json[] | undefined) ?? []).map((p) => String(p.plan_id)));
    const requestedFeatures = new Set(((b.features as Json[] | undefined) ?? []).map((f) => String(f.feature_id)));
    const plan_changes = [...plans.entries()]
      .filter(([id, vs]) => !requestedPlans.has(id) && !vs[vs.length - 1]!.archived && b.skip_deletions === false)
      .map(([id]) => ({ plan_id: id, action: 'deleted', will_archive: (planHolders[id] ?? 0) > 0, customer_count: planHolders[id] ?? 0, variants: [], versionable: false }));
    const feature_changes = [...features.values()]
      .filter((f) => !requestedFeatures.has(String(f.id)) && !f.archived && b.skip_deletions === false)
      .map((f) => {
        const id = String(f.id);
        const referenced = [...plans.values()].some((vs) => vs.some((p) => (p.items as Json[]).some((i) => i.feature_id === id)))
          || [...features.values()].some((o) => ((o.credit_schema as Json[] | undefined) ?? []).some((e) => e.metered_feature_id === id));
        return { feature_id: id, action: 'remove', will_archive: referenced || (featureHolders[id] ?? 0) > 0, blocked: false };
      });
    return { feature_changes, plan_changes, reward_changes: [], referral_program_changes: [] };
  }

  function missingFeature(b: Json): string | null {
    for (const item of (b.items as Json[] | undefined) ?? []) {
      for (const ref of [item.feature_id, item.entity_feature_id]) if (typeof ref === 'string' && !features.has(ref)) return ref;
    }
    return null;
  }

  function normaliseFeature(f: Json): Json {
    const type = String(f.type);
    const out: Json = {
      id: f.id,
      name: f.name ?? f.id,
      type,
      consumable: type === 'boolean' ? false : type === 'credit_system' ? true : f.consumable ?? true,
      event_names: f.event_names ?? [],
      archived: f.archived === true,
    };
    if (type === 'credit_system') out.credit_schema = f.credit_schema ?? [];
    return out;
  }

  /** The §2.2 write normalisation: defaults explicit, derived reset on priced consumable items. */
  function normalisePlan(p: Json, version: number): Json {
    const items = ((p.items as Json[] | undefined) ?? []).map((raw) => {
      const item: Json = {
        feature_id: raw.feature_id,
        included: raw.unlimited === true ? 0 : (raw.included ?? 0),
        unlimited: raw.unlimited === true,
        pooled: false,
        entity_feature_id: raw.entity_feature_id ?? null,
        reset: raw.reset ?? null,
        price: raw.price ? { billing_units: 1, max_purchase: null, ...(raw.price as Json) } : null,
      };
      if (raw.rollover) item.rollover = raw.rollover;
      if (raw.proration) item.proration = raw.proration;
      const feature = features.get(String(raw.feature_id));
      const price = item.price as Json | null;
      if (!item.reset && price && feature?.consumable === true) {
        item.reset = { interval: price.interval, ...(price.interval_count !== undefined ? { interval_count: price.interval_count } : {}) };
      }
      return item;
    });
    const out: Json = {
      id: p.id,
      name: p.name ?? p.id,
      description: p.description ?? null,
      group: p.group ?? null,
      version,
      add_on: p.add_on === true,
      auto_enable: p.auto_enable === true,
      price: p.price ?? null,
      items,
      free_trial: p.free_trial ?? null,
      created_at: (clock += 1000),
      env: 'sandbox',
      archived: p.archived === true,
      config: { ignore_past_due: false },
      metadata: {},
      base_variant_id: null,
      licenses: [],
    };
    const controls = p.billing_controls as Json | undefined;
    if (controls && Object.keys(controls).length > 0) out.billing_controls = controls;
    return out;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    key,
    requests,
    features: () => Object.fromEntries(structuredClone([...features.entries()])),
    plans: () => Object.fromEntries([...plans.entries()].map(([id, vs]) => [id, structuredClone(vs[vs.length - 1]!)])),
    planVersions: (id) => structuredClone(plans.get(id) ?? []),
    writeCount: () => writes,
    setPlanHolders: (holders) => {
      planHolders = { ...holders };
    },
    failWrite: (nth, mode = 'before') => {
      failAt = { n: writes + nth, mode };
    },
    failReads: (n) => {
      readFailures = n;
    },
    seed: (fs, ps) => {
      for (const f of fs) features.set(String(f.id), structuredClone(f));
      for (const p of ps) plans.set(String(p.id), [structuredClone(p)]);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function err(status: number, code: string, message: string): [number, Json] {
  return [status, { message, code }];
}
