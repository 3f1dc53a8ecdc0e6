/**
 * Runs in Node before the worker tests: starts the SAML signing service (xmlsec1 and xml-crypto, independent
 * implementations), the webhook receiver (node:crypto checks the signatures), a real OpenID provider
 * (oidc-provider) and a hostile one (test/support/oidc/) that tests inside workerd reach over loopback.
 */
import type { TestProject } from "vitest/node";
import "./provided-context";
import { startSignerServer } from "./support/saml/signer-server";
import { startWebhookReceiver } from "./support/webhook-receiver";
import { startHostileIdp } from "./support/oidc/hostile-idp";
import { startOidcProvider } from "./support/oidc/provider-server";

export default async function setup(project: TestProject) {
  const signer = await startSignerServer();
  const receiver = await startWebhookReceiver();
  project.provide("samlSignerUrl", signer.url);
  const oidcProvider = await startOidcProvider();
  const hostileIdp = await startHostileIdp();
  project.provide("webhookReceiverUrl", receiver.url);
  project.provide("oidcIssuer", oidcProvider.issuer);
  project.provide("hostileOidcIssuer", hostileIdp.issuer);
  return async () => {
    oidcProvider.server.closeAllConnections();
    await new Promise<void>((resolve) => oidcProvider.server.close(() => resolve()));
    hostileIdp.server.closeAllConnections();
    await new Promise<void>((resolve) => hostileIdp.server.close(() => resolve()));
    await new Promise<void>((resolve) => signer.server.close(() => resolve()));
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  };
}
