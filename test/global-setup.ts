/**
 * Runs in Node before the worker tests: starts the SAML signing service (xmlsec1 and xml-crypto, independent
 * implementations) and the webhook receiver (node:crypto checks the signatures) that tests inside workerd reach
 * over loopback.
 */
import type { TestProject } from "vitest/node";
import "./provided-context";
import { startSignerServer } from "./support/saml/signer-server";
import { startWebhookReceiver } from "./support/webhook-receiver";

export default async function setup(project: TestProject) {
  const signer = await startSignerServer();
  const receiver = await startWebhookReceiver();
  project.provide("samlSignerUrl", signer.url);
  project.provide("webhookReceiverUrl", receiver.url);
  return async () => {
    await new Promise<void>((resolve) => signer.server.close(() => resolve()));
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  };
}
