/**
 * Which IdP dialect a SCIM request speaks, for the console's overview ("you connected an Okta catalog app"). Pure:
 * the request's method, path, User-Agent and (for a PATCH) a flag from its already-parsed body in, a label out.
 *
 * Evidence used, in order:
 *  - Okta sends `User-Agent: Okta SCIM Client 1.0.0` (Okta's SCIM guide shows it on every request). An Okta PUT on a
 *    User is an App Integration Wizard app (they replace the whole user, even to deactivate); an Okta PATCH on a
 *    User is a catalog (OIN) app (`{"op":"replace","value":{"active":false}}`). Other Okta requests (lists, groups)
 *    do not tell the two apart, so they stay "unknown".
 *  - Entra: GitHub's own SCIM code classifies `Microsoft Azure AD SCIM provisioning <version>` as Azure AD (found in
 *    its test of `Business.scim_provider_type`); our own captures of Entra send no User-Agent at all (see
 *    test/integration/scim-entra.test.ts), so a PATCH shaped the way only Entra writes it also counts: capitalised
 *    ops (`"Replace"`, `"Add"`, `"Remove"`) or booleans as the strings `"True"` / `"False"`.
 */
import { isPlainObject, type JsonValue } from "../lib/json";

export type ScimDialect = "okta-wizard" | "okta-catalog" | "entra" | "unknown";

export interface DialectEvidence {
  method: string;
  /** The path without the query. */
  path: string;
  userAgent: string | null;
  /** From `isEntraShapedPatch` on the request's body; false for anything but a PATCH. */
  entraShapedPatch: boolean;
}

const OKTA_AGENT = /^Okta SCIM Client\b/i;
const ENTRA_AGENT = /Azure AD SCIM|Microsoft|Entra/i;
/** One User resource (`…/Users/{id}`), not the collection or `/.search`. */
const ONE_USER = /\/Users\/(?!\.search$)[^/]+$/;
const STRING_BOOLEANS = new Set(["True", "False"]);

export const DIALECT_LABELS: Record<ScimDialect, string> = {
  "okta-wizard": "Okta SCIM app made with the App Integration Wizard (PUT)",
  "okta-catalog": "Okta app from the catalog (PATCH)",
  entra: "Microsoft Entra ID",
  unknown: "Not known yet",
};

export function detectDialect(evidence: DialectEvidence): ScimDialect {
  const agent = evidence.userAgent ?? "";
  if (OKTA_AGENT.test(agent)) {
    if (!ONE_USER.test(evidence.path)) return "unknown";
    if (evidence.method === "PUT") return "okta-wizard";
    if (evidence.method === "PATCH") return "okta-catalog";
    return "unknown";
  }
  if (ENTRA_AGENT.test(agent) || evidence.entraShapedPatch) return "entra";
  return "unknown";
}

function isStringBoolean(value: JsonValue | undefined): boolean {
  if (typeof value === "string") return STRING_BOOLEANS.has(value);
  return isPlainObject(value) && Object.values(value).some((inner) => typeof inner === "string" && STRING_BOOLEANS.has(inner));
}

/** True when a PatchOp body has a capitalised op or a `"True"`/`"False"` value (one level deep: cheap, bounded). */
export function isEntraShapedPatch(body: JsonValue): boolean {
  if (!isPlainObject(body)) return false;
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations)) return false;
  return operations.some((operation) => {
    if (!isPlainObject(operation)) return false;
    const op = operation.op;
    return (typeof op === "string" && op !== op.toLowerCase()) || isStringBoolean(operation.value);
  });
}
