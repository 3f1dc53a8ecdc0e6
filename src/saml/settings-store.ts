/** Reading a tenant's stored SAML settings (written by the tenant's Durable Object, validated before that). */
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { idpConnections } from "../db/schema";
import type { SamlConnectionSettings } from "./connection";

export async function loadSamlSettings(db: Database, tenantId: string): Promise<SamlConnectionSettings | undefined> {
  const [row] = await db
    .select({ settings: idpConnections.settings })
    .from(idpConnections)
    .where(and(eq(idpConnections.tenantId, tenantId), eq(idpConnections.protocol, "saml")))
    .limit(1);
  return row ? (JSON.parse(row.settings) as SamlConnectionSettings) : undefined;
}
