import { bytesToBase64Url, randomBytes } from "./bytes";

/** Kinds of id; the prefix tells a reader (and a log) what an id names. */
export type IdKind = "tn" | "usr" | "grp" | "tok" | "aud" | "req" | "job" | "ses" | "key";

/** A new id: `{kind}_` + 128 random bits, base64url. Unguessable, so ids are safe to expose across tenants. */
export function newId(kind: IdKind): string {
  return `${kind}_${bytesToBase64Url(randomBytes(16))}`;
}

/** A secret token: `{prefix}` + 256 random bits, base64url. */
export function newSecret(prefix: string): string {
  return `${prefix}${bytesToBase64Url(randomBytes(32))}`;
}
