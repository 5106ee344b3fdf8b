import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'restify';
import type { Metrics } from '../metrics';
import { HttpError } from '../http/errors';
import type { RouteFactory } from '../http/route';

export interface ReadinessProbe {
  name: string;
  /** Human name used in the 503 message, e.g. "MongoDB". */
  label: string;
  /** busy: reached but slow; still ready (taking the process out would only move its load). */
  check(): Promise<'up' | 'busy' | 'down'>;
}

/** Who may scrape /metrics: everyone (development), a bearer token, or nobody (production without METRICS_TOKEN). */
export type MetricsAccess = { open: true } | { open: false; token: string | null };

export function registerHealthRoutes(server: Server, deps: { route: RouteFactory; probes: ReadinessProbe[]; metrics: Metrics; metricsAccess?: MetricsAccess }): void {
  const { route, probes, metrics } = deps;
  server.get('/healthz', route(() => Promise.resolve({ status: 200, body: { status: 'ok' } })));

  server.get(
    '/readyz',
    route(async () => {
      const results = await Promise.all(probes.map(async (p) => ({ p, health: await p.check().catch(() => 'down' as const) })));
      const down = results.filter((r) => r.health === 'down');
      if (down.length > 0) {
        throw new HttpError(
          503,
          'DEPENDENCY_DOWN',
          `not ready: ${down.map((r) => r.p.label).join(' and ')} ${down.length > 1 ? 'are' : 'is'} down`,
          results.map((r) => ({ dependency: r.p.name, status: r.health })),
        );
      }
      const busy = results.some((r) => r.health === 'busy');
      return { status: 200, body: { status: busy ? 'busy' : 'ready', checks: Object.fromEntries(results.map((r) => [r.p.name, r.health])) } };
    }),
  );

  const access = deps.metricsAccess ?? { open: true };
  server.get('/metrics', (req, res, next) => {
    if (!access.open) {
      // Closed looks like absent; with a token, a wrong one is a plain 401 (compared in constant time).
      const refuse = (e: HttpError) => {
        res.send(e.status, e.toBody());
        next(false);
      };
      if (access.token === null) return refuse(new HttpError(404, 'NOT_FOUND', 'no such resource'));
      const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1] ?? '');
      const want = Buffer.from(access.token);
      if (given.length !== want.length || !timingSafeEqual(given, want)) return refuse(new HttpError(401, 'UNAUTHORIZED', 'send the metrics token as Authorization: Bearer <METRICS_TOKEN>'));
    }
    metrics.registry.metrics().then(
      (text) => {
        res.setHeader('Content-Type', metrics.registry.contentType);
        res.writeHead(200);
        res.end(text);
        next();
      },
      (e: unknown) => next(e as Error),
    );
  });
}
