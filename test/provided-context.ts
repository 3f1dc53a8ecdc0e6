/** Values test/global-setup.ts hands to the tests (vitest's provide/inject). */
declare module "vitest" {
  export interface ProvidedContext {
    /** The SAML signing service (xmlsec1, xml-crypto) on 127.0.0.1. */
    samlSignerUrl: string;
    /** The webhook receiver (test/support/webhook-receiver.ts) on 127.0.0.1. */
    webhookReceiverUrl: string;
    /** A real OpenID provider (oidc-provider, test/support/oidc/provider-server.ts) on 127.0.0.1. */
    oidcIssuer: string;
    /** An OpenID provider that issues whatever token a test asks for (test/support/oidc/hostile-idp.ts). */
    hostileOidcIssuer: string;
  }
}

export {};
