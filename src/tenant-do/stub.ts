/**
 * The one way to reach a tenant's Durable Object. The RPC stub type that workers-types derives for our recursive
 * JSON results is too deep for the compiler, so the stub is viewed through the object's own method signatures:
 * the same methods, the same structured-clone-safe arguments and results.
 */
import type { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { TenantDurableObject } from "./tenant-do";

/** Every RPC method the object declares itself (none of DurableObject's own members). */
export type TenantWriter = Pick<TenantDurableObject, Exclude<keyof TenantDurableObject, keyof DurableObject<Env>>>;

export function tenantWriter(env: Env, tenantId: string): TenantWriter {
  return env.TENANT_DO.get(env.TENANT_DO.idFromName(tenantId)) as unknown as TenantWriter;
}
