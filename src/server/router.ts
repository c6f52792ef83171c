import type { IncomingHttpHeaders } from 'node:http';
import { AtmnError } from '../errors.ts';

import type { Environment } from '../store/state.ts';

export type { Environment };
export type Method = 'GET' | 'POST' | 'DELETE';

/** What a handler sees: the parsed body (query filled in), path params, and the key's environment. */
export interface RouteRequest {
  env: Environment;
  body: Record<string, unknown>;
  /** Only for routes declared with `acceptsArray` when the body was a top-level array. */
  list: unknown[] | null;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** Returns the JSON response body (status 200, wire.md §1.5) or throws an AtmnError. */
export type Handler = (req: RouteRequest) => unknown;

export interface Route {
  method: Method;
  /** `/v1/customers/{customer_id}/entities`: `{name}` matches one non-empty segment. */
  path: string;
  handler: Handler;
  acceptsArray?: boolean;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

interface PatternRoute {
  route: Route;
  segments: string[];
}

/**
 * Static paths (every RPC route, the hot ones included) are one Map lookup; paths with
 * `{params}` are matched segment by segment. No match → 404 `not_found`, also for a known
 * path with another method (wire.md §1.6: never 405).
 */
export class Router {
  private readonly exact = new Map<string, Route>();
  private readonly patterns: PatternRoute[] = [];

  constructor(routes: Route[]) {
    for (const route of routes) {
      if (route.path.includes('{')) this.patterns.push({ route, segments: route.path.split('/') });
      else this.exact.set(`${route.method} ${route.path}`, route);
    }
  }

  match(method: string, pathname: string): RouteMatch {
    const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    const exact = this.exact.get(`${method} ${path}`);
    if (exact) return { route: exact, params: {} };
    const segments = path.split('/');
    for (const { route, segments: pattern } of this.patterns) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const params = matchSegments(pattern, segments);
      if (params) return { route, params };
    }
    throw new AtmnError('not_found', `No route ${method} ${path} in atmn dev.`, {
      hint: 'See the endpoint list in the atmn dev README section; hosted-only routes are not served.',
      details: { method, path },
    });
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = segments[i]!;
    if (want.startsWith('{')) {
      if (got === '') return null;
      let decoded: string;
      try {
        decoded = decodeURIComponent(got);
      } catch {
        return null;
      }
      params[want.slice(1, -1)] = decoded;
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}
