/**
 * A real OpenID provider for the tests inside workerd: panva's oidc-provider (an independent, certified
 * implementation) on 127.0.0.1. Clients register themselves through Dynamic Client Registration (`POST /reg`),
 * each with its tenant's redirect URI. There is no login UI: a test drives the interaction itself —
 *
 *   PUT  /_test/accounts/{email}   {groups?: string[], givenName?, familyName?}   the account and its groups claim
 *   GET  /interaction/{uid}?login={email}                                     signs that account in, consents, resumes
 *   GET  /interaction/{uid}                                                   a one-field form for a browser, to the above
 *
 * Everything else is oidc-provider's own (discovery, /auth, /token, /jwks, /reg).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

interface TestAccount {
  groups: string[];
  givenName: string;
  familyName: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

export async function startOidcProvider(): Promise<{ server: Server; issuer: string }> {
  const accounts = new Map<string, TestAccount>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    features: { registration: { enabled: true }, devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    // The claims go into the ID token itself, as Okta does with a groups claim filter (not only into userinfo).
    conformIdTokenClaims: false,
    cookies: { keys: ["gatehouse-test-cookie-key"] },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, email: id, email_verified: true, given_name: account.givenName, family_name: account.familyName, name: `${account.givenName} ${account.familyName}`, groups: account.groups }),
      };
    },
  });
  const handle = provider.callback();
  server.on("request", (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", issuer);
      const accountPath = /^\/_test\/accounts\/([^/]+)$/.exec(url.pathname);
      if (accountPath && req.method === "PUT") {
        const body = JSON.parse((await readBody(req)) || "{}") as Partial<TestAccount>;
        accounts.set(decodeURIComponent(accountPath[1]!), { groups: body.groups ?? [], givenName: body.givenName ?? "Test", familyName: body.familyName ?? "User" });
        res.writeHead(204).end();
        return;
      }
      if (/^\/interaction\/[^/]+$/.test(url.pathname) && req.method === "GET") {
        const details = await provider.interactionDetails(req, res);
        const accountId = url.searchParams.get("login");
        if (accountId === null) {
          // A browser (test/e2e) gets a one-field sign-in form that comes back here with ?login=.
          res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
          res.end(`<!doctype html><title>Test IdP</title><form method="get"><label>Email <input name="login" type="email" id="login"></label><button type="submit">Sign in</button></form>`);
          return;
        }
        const grant = new provider.Grant({ accountId, clientId: details.params.client_id ?? "" });
        grant.addOIDCScope(details.params.scope ?? "openid");
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
      handle(req, res);
    })().catch((error: unknown) => {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(String(error));
    });
  });
  return { server, issuer };
}
