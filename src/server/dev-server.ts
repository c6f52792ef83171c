import { createServer, type Server } from 'node:http';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityOrder } from '../engine/index.ts';
import { AtmnError, isAtmnError } from '../errors.ts';
import { explainFileSystem, fileSystemError } from '../store/fs-error.ts';
import { createStateDir } from '../store/gitignore.ts';
import { ENVIRONMENTS, EngineStore, JOURNAL_FILE, SNAPSHOT_FILE, type OpenReport } from '../store/engine-store.ts';
import { writeHolders } from '../store/state.ts';
import type { ServerKeys } from './auth.ts';
import { loadCatalogState, saveCatalogState } from './catalog-persistence.ts';
import { acquireDevLock } from './dev-lock.ts';
import { loadOrCreateKeys } from './dev-keys.ts';
import { DevRuntime } from './dev-runtime.ts';
import { createHttpHandler } from './http-handler.ts';
import { Router, type Environment } from './router.ts';
import { balanceRoutes } from './routes/balances.ts';
import { billingRoutes } from './routes/billing.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { catalogUpdateRoutes } from './routes/catalog-update.ts';
import { customerRoutes } from './routes/customers.ts';
import { entityRoutes } from './routes/entities.ts';

export interface DevServerOptions {
  /** The state folder: `.atmn/` beside the config, or --data. */
  dataDir: string;
  /** How to name it in messages. */
  displayDataDir: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  keyOverride?: string | undefined;
  entityOrder: EntityOrder;
  /** Forget customers, entities, events and invoices (the catalog and keys stay). */
  reset: boolean;
  version: string;
  wallClock?: () => number;
  /** Largest request body in bytes (413 beyond). */
  bodyLimit?: number;
  /** Where server defects (500s) are reported. */
  logDefect: (error: unknown) => void;
}

export interface DevServer {
  url: string;
  port: number;
  keys: ServerKeys;
  keysFile: string;
  report: OpenReport;
  catalogCounts: Record<Environment, { features: number; plans: number }>;
  /** Stops accepting, lets in-flight requests finish, makes everything durable, compacts, unlocks. */
  close(): Promise<void>;
}


export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const wallClock = options.wallClock ?? Date.now;
  const { dataDir, displayDataDir } = options;
  prepareDataDir(dataDir, displayDataDir);
  const lock = explainFileSystem(`take the lock in ${displayDataDir}`, () => acquireDevLock(dataDir, options.port, displayDataDir));
  try {
    if (options.reset) for (const file of [SNAPSHOT_FILE, JOURNAL_FILE]) rmSync(join(dataDir, file), { force: true });
    const { keys, file: keysFile, createdAt } = loadOrCreateKeys(dataDir, options.keyOverride, wallClock());
    const catalogs = { sandbox: loadCatalogState(dataDir, 'sandbox', wallClock()), live: loadCatalogState(dataDir, 'live', wallClock()) };
    const store = EngineStore.open({
      dir: dataDir,
      catalogs: { sandbox: catalogs.sandbox.latest(), live: catalogs.live.latest() },
      entityOrder: options.entityOrder,
    });
    const runtime = new DevRuntime({
      store,
      catalogs,
      persistCatalog: (env, catalog) => saveCatalogState(dataDir, env, catalog),
      wallClock,
      organization: { id: 'org_atmn_dev', name: 'atmn dev', slug: 'atmn-dev', createdAt },
      version: options.version,
    });
    // holders.json tells a later `atmn push` (embedded sandbox) who holds what.
    const saveHolders = () => {
      for (const env of ENVIRONMENTS) {
        const h = runtime.holders(env);
        writeHolders(dataDir, env, { plans: Object.fromEntries(h.plans), features: Object.fromEntries(h.features) });
      }
    };
    saveHolders();
    let holdersTimer: NodeJS.Timeout | null = null;
    runtime.onHoldersChanged = () => {
      holdersTimer ??= setTimeout(() => {
        holdersTimer = null;
        saveHolders();
      }, 200);
    };

    const router = new Router([
      ...catalogRoutes(runtime),
      ...catalogUpdateRoutes(runtime),
      ...customerRoutes(runtime),
      ...entityRoutes(runtime),
      ...balanceRoutes(runtime),
      ...billingRoutes(runtime),
    ]);
    const counts = (env: Environment) => ({
      features: catalogs[env].featureList().length,
      plans: catalogs[env].planIds().length,
      customers: runtime.engine(env).listCustomers().length,
    });
    const handler = createHttpHandler({
      router,
      keys,
      keysFile,
      bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
      health: () => {
        const sandbox = counts('sandbox');
        return { name: 'atmn dev', version: options.version, status: 'ok', catalog: { features: sandbox.features, plans: sandbox.plans }, environments: { sandbox, live: counts('live') } };
      },
      logDefect: options.logDefect,
    });
    const server = createServer({ keepAliveTimeout: 5000 }, handler);
    const port = await listen(server, options.port, options.host);
    lock.setPort(port);
    const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

    let closing: Promise<void> | null = null;
    return {
      url: `http://${hostForUrl}:${port}`,
      port,
      keys,
      keysFile,
      report: store.report,
      catalogCounts: { sandbox: counts('sandbox'), live: counts('live') },
      close: () =>
        (closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          if (holdersTimer) clearTimeout(holdersTimer);
          await store.close();
          saveHolders();
          lock.release();
        })()),
    };
  } catch (error) {
    lock.release();
    // A folder where a state file should be, a full disk: the machine's problem, said plainly.
    throw isAtmnError(error) ? error : fileSystemError(error, `start atmn dev on ${displayDataDir}`);
  }
}

/** Creates the state folder when missing; a file in its place is refused with the fix. */
function prepareDataDir(dataDir: string, displayDataDir: string): void {
  if (existsSync(dataDir)) {
    if (statSync(dataDir).isDirectory()) return;
    throw new AtmnError('usage', `The state folder ${displayDataDir} is a file, not a folder.`, {
      hint: 'Give atmn dev a folder with --data DIR (it is created when missing), or move that file away.',
    });
  }
  explainFileSystem(`create the state folder ${displayDataDir}`, () => createStateDir(dataDir));
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new AtmnError('usage', `Port ${port} on ${host} is already in use.`, { hint: 'Stop what is listening there, or pick another port with --port.' }));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EACCES') {
        reject(new AtmnError('usage', `Cannot listen on ${host}:${port} (${error.code}).`, { hint: 'Check --host and --port.' }));
      } else reject(error);
    });
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
