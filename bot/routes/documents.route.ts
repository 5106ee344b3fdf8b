import type { Server } from 'restify';
import type { DocumentRepository } from '../../services/documents/document.schema';
import { canReadCases } from '../../services/staff/staff.roles';
import type { Authenticate } from '../http/auth';
import { HttpError } from '../http/errors';
import { pathParam, type RouteFactory } from '../http/route';

/** A file an office uploaded on Web Chat, for staff (the case note links here); offices and marketing do not read it back. */
export function registerDocumentRoutes(server: Server, deps: { route: RouteFactory; authenticate: Authenticate; documents: DocumentRepository }): void {
  server.get(
    '/api/v1/documents/:id',
    deps.route(async (req) => {
      const principal = await deps.authenticate(req);
      if (!canReadCases(principal.role) || principal.role === 'referrer') throw new HttpError(403, 'FORBIDDEN', `role '${principal.role}' may not read documents`);
      const d = await deps.documents.findById(pathParam(req, 'id'));
      if (!d) throw new HttpError(404, 'DOCUMENT_NOT_FOUND', 'no such document');
      return {
        status: 200,
        body: null,
        // Always a download, never rendered in our origin.
        headers: { 'Content-Disposition': `attachment; filename="${d.name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(d.name)}`, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' },
        raw: { contentType: d.contentType, text: d.data },
      };
    }),
  );
}
