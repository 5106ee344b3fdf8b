import type { Server } from 'restify';
import { CreateCampaignInput } from '../../services/campaigns/campaign.schema';
import type { Campaigns } from '../../services/campaigns/campaign.service';
import type { Authenticate } from '../http/auth';
import { parse, requireJson, unwrap, pathParam, type RouteFactory } from '../http/route';

/** Nurture campaigns (issue 7): create, list, read with stats, launch (planning runs as a job: 202). */
export function registerCampaignRoutes(server: Server, deps: { route: RouteFactory; authenticate: Authenticate; campaigns: Campaigns }): void {
  const { route, authenticate, campaigns } = deps;

  server.post(
    '/api/v1/campaigns',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      return { status: 201, body: unwrap(await campaigns.create(parse(CreateCampaignInput, req.body, 'body'), principal)) };
    }),
  );

  server.get(
    '/api/v1/campaigns',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: { items: unwrap(await campaigns.list(principal)) } };
    }),
  );

  server.get(
    '/api/v1/campaigns/:id',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: unwrap(await campaigns.get(pathParam(req, 'id'), principal)) };
    }),
  );

  server.post(
    '/api/v1/campaigns/:id/launch',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 202, body: unwrap(await campaigns.requestLaunch(pathParam(req, 'id'), principal)) };
    }),
  );
}
