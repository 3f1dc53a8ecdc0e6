/**
 * The one way to reach a tenant's Durable Object. The RPC stub type that workers-types derives for our recursive
 * JSON results is too deep for the compiler, so the stub is viewed through the object's own method signatures:
 * the same methods, the same structured-clone-safe arguments and results.
 */
import type { Env } from "../env";
import type { TenantDurableObject } from "./tenant-do";

export type TenantWriter = Pick<TenantDurableObject, "authenticate" | "applyScimWrite" | "issueScimToken" | "revokeScimToken" | "saveIdpConnection" | "deleteTenant" | "mintAdminLink" | "redeemAdminLink" | "endAdminSession" | "createAuthnRequest" | "completeSamlSignIn" | "recordSignInAttempt" | "provisionUserAtSignIn" | "revokeSession">;

export function tenantWriter(env: Env, tenantId: string): TenantWriter {
  return env.TENANT_DO.get(env.TENANT_DO.idFromName(tenantId)) as unknown as TenantWriter;
}
