import { z } from 'zod';

/** File types an office may upload (documents and scans of them); anything else is refused. */
export const UPLOAD_TYPES: ReadonlySet<string> = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'text/plain']);
/** Per file: clinical notes and a scanned order fit; a larger file goes by fax. */
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

/** A file an office sent on Web Chat, kept for staff (the case note links to it). */
export const StoredDocument = z.object({
  id: z.string(),
  /** The chat conversation it came in. */
  conversationId: z.string().max(200),
  name: z.string().min(1).max(200),
  contentType: z.string().refine((t) => UPLOAD_TYPES.has(t), 'is not a file type we take'),
  size: z.number().int().min(1).max(UPLOAD_MAX_BYTES),
  data: z.instanceof(Buffer),
  createdAt: z.date(),
});
export type StoredDocument = z.infer<typeof StoredDocument>;

export interface DocumentRepository {
  insert(d: StoredDocument): Promise<void>;
  findById(id: string): Promise<StoredDocument | null>;
}
