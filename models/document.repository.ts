import { Schema, type Connection } from 'mongoose';
import { StoredDocument, type DocumentRepository } from '../services/documents/document.schema';
import type { Row } from './rows';

const DocumentSchema = new Schema(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'documents', versionKey: false },
);

/** Files offices uploaded on Web Chat (a few MB each, in the document itself). */
export function createDocumentRepository(conn: Connection): DocumentRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Document', DocumentSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert({ id, ...rest }) {
      await model.create({ _id: id, ...rest });
    },
    async findById(id) {
      const row = await model.findById(id).lean<Row & { data: unknown }>();
      if (!row) return null;
      // The driver hands binary back as its Binary type: the bytes as a Buffer.
      const bytes = row.data as { buffer?: Uint8Array } | Buffer;
      const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer ?? []);
      const { _id, ...rest } = row;
      return StoredDocument.parse({ ...rest, id: _id, data });
    },
  };
}
