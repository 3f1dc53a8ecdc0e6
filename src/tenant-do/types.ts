/** The shapes the tenant Durable Object's RPC methods take and give (shared by callers and the object). */
import type { JsonValue } from "../lib/json";

export interface WriteMeta {
  tenantId: string;
  actor: string;
  requestId: string;
  baseUrl: string;
}

export type ScimWriteCommand =
  | { action: "createUser"; body: JsonValue | undefined }
  | { action: "replaceUser"; id: string; body: JsonValue | undefined; ifMatch?: string }
  | { action: "patchUser"; id: string; body: JsonValue | undefined; ifMatch?: string }
  | { action: "deleteUser"; id: string; ifMatch?: string }
  | { action: "createGroup"; body: JsonValue | undefined }
  | { action: "replaceGroup"; id: string; body: JsonValue | undefined; ifMatch?: string }
  | { action: "patchGroup"; id: string; body: JsonValue | undefined; ifMatch?: string }
  | { action: "deleteGroup"; id: string; ifMatch?: string };

export interface IssuedToken {
  token: string;
  id: string;
  hint: string;
  createdAt: string;
  previousTokensExpireAt: string;
}
