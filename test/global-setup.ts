/**
 * Runs in Node before the worker tests: starts the SAML signing service (xmlsec1 and xml-crypto, independent
 * implementations) that tests inside workerd call over loopback.
 */
import type { TestProject } from "vitest/node";
import "./provided-context";
import { startSignerServer } from "./support/saml/signer-server";

export default async function setup(project: TestProject) {
  const signer = await startSignerServer();
  project.provide("samlSignerUrl", signer.url);
  return async () => {
    await new Promise<void>((resolve) => signer.server.close(() => resolve()));
  };
}
