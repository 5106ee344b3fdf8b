import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface DirectLineConversation {
  id: string;
  userId: string;
}

/** Activities as Direct Line returns them: plain JSON with an id, a timestamp and the conversation. */
export type StoredActivity = Record<string, unknown> & { id: string };

/** How long a conversation, its token and its transcript (names, birth dates) live without use. */
export const DIRECT_LINE_TTL_S = 2 * 3600;
const TTL_S = DIRECT_LINE_TTL_S;

// Position and insert in one step, so a poll can never see a later activity before an earlier one.
const APPEND = `
local n = redis.call('incr', KEYS[1]) - 1
local id = ARGV[1] .. '|' .. string.format('%07d', n)
redis.call('zadd', KEYS[2], n, '{"id":' .. cjson.encode(id) .. ',' .. string.sub(ARGV[2], 2))
redis.call('expire', KEYS[1], ARGV[3])
redis.call('expire', KEYS[2], ARGV[3])
return id`;

/**
 * The local Direct Line's conversations and transcripts in Redis, so any web process can answer any poll: a token
 * maps to one conversation; activities are a list whose length is the watermark.
 */
export function createDirectLineStore(redis: Redis, prefix: string) {
  const k = (...parts: string[]) => `${prefix}dl:${parts.join(':')}`;
  return {
    async create(): Promise<DirectLineConversation & { token: string }> {
      const conv = { id: `dl_${randomBytes(12).toString('hex')}`, userId: `dl_${randomBytes(8).toString('hex')}` };
      const token = randomBytes(24).toString('base64url');
      await redis.multi().set(k('token', token), JSON.stringify(conv), 'EX', TTL_S).set(k('conv', conv.id), JSON.stringify(conv), 'EX', TTL_S).exec();
      return { ...conv, token };
    },
    async byToken(token: string): Promise<DirectLineConversation | null> {
      const raw = await redis.get(k('token', token));
      return raw ? (JSON.parse(raw) as DirectLineConversation) : null;
    },
    async byId(id: string): Promise<DirectLineConversation | null> {
      const raw = await redis.get(k('conv', id));
      return raw ? (JSON.parse(raw) as DirectLineConversation) : null;
    },
    async refresh(token: string): Promise<boolean> {
      const conv = await this.byToken(token);
      if (!conv) return false;
      await redis.multi().expire(k('token', token), TTL_S).expire(k('conv', conv.id), TTL_S).expire(k('acts', conv.id), TTL_S).expire(k('seq', conv.id), TTL_S).exec();
      return true;
    },
    /** Appends activities in order and gives each its id (`<conversation>|<position>`), atomically with its position. */
    async append(conversationId: string, activities: Array<Record<string, unknown>>): Promise<string[]> {
      const ids: string[] = [];
      for (const a of activities) {
        // Our id goes first in the JSON; a client-sent id is dropped.
        const id = (await redis.eval(APPEND, 2, k('seq', conversationId), k('acts', conversationId), conversationId, JSON.stringify({ ...a, id: undefined }), String(TTL_S))) as string;
        ids.push(id);
      }
      return ids;
    },
    /** Activities at or after the watermark, and the watermark to send next time. */
    async after(conversationId: string, watermark: number): Promise<{ activities: StoredActivity[]; watermark: number }> {
      const rows = await redis.zrangebyscore(k('acts', conversationId), watermark, '+inf', 'WITHSCORES');
      const activities: StoredActivity[] = [];
      let next = watermark;
      for (let i = 0; i < rows.length; i += 2) {
        activities.push(JSON.parse(rows[i]!) as StoredActivity);
        next = Number(rows[i + 1]) + 1;
      }
      return { activities, watermark: next };
    },
  };
}
export type DirectLineStore = ReturnType<typeof createDirectLineStore>;
