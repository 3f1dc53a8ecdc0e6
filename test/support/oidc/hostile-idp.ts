/**
 * A deliberately hostile OpenID provider for the refusal cases a well-behaved provider never produces: an ID token
 * for another audience, an expired one, one signed by a key its JWKS does not publish. Discovery and JWKS are
 * honest; the token endpoint answers each code with the token a test asked for —
 *
 *   PUT  /_test/codes/{code}  {nonce, email, claims?: {...overrides}, key?: "published" | "unpublished"}
 *   POST /token               the ID token for that code (code, and so the token, usable once)
 *   POST /_test/rotate        a new signing key, published beside the old ones and used from now on
 *
 * Every path may be prefixed with a realm (`/r-{name}`): a separate issuer with its own keys, so a test that
 * rotates keys does not disturb the others.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";

type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };

interface CodeScenario {
  nonce: string;
  email: string;
  claims?: JWTPayload;
  key?: "published" | "unpublished";
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** The client id a token request authenticates as (client_secret_basic or client_id in the form). */
function clientIdOf(req: IncomingMessage, form: URLSearchParams): string {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  if (basic) return decodeURIComponent(Buffer.from(basic, "base64").toString("utf8").split(":")[0] ?? "");
  return form.get("client_id") ?? "";
}

interface Realm {
  /** Newest first: tokens are signed with the first. */
  signing: { kid: string; keys: KeyPair }[];
  jwks: { keys: Record<string, unknown>[] };
}

async function addSigningKey(realm: Realm): Promise<void> {
  const keys = await generateKeyPair("RS256");
  const kid = `k${realm.signing.length}`;
  realm.signing.unshift({ kid, keys });
  realm.jwks.keys.push({ ...(await exportJWK(keys.publicKey)), kid, alg: "RS256", use: "sig" });
}

export async function startHostileIdp(): Promise<{ server: Server; issuer: string }> {
  const unpublished = await generateKeyPair("RS256");
  const realms = new Map<string, Realm>();
  const realmOf = async (name: string): Promise<Realm> => {
    let realm = realms.get(name);
    if (!realm) {
      realm = { signing: [], jwks: { keys: [] } };
      realms.set(name, realm);
      await addSigningKey(realm);
    }
    return realm;
  };
  const codes = new Map<string, CodeScenario>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));

  server.on("request", (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", base);
      const [, realmName = "", path = "/"] = /^(\/r-[\w-]+)?(\/.*)$/.exec(url.pathname) ?? [];
      const issuer = `${base}${realmName}`;
      const realm = await realmOf(realmName);
      const codePath = /^\/_test\/codes\/([^/]+)$/.exec(path);
      if (path === "/.well-known/openid-configuration") {
        return json(res, 200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ["RS256"] });
      }
      if (path === "/jwks") return json(res, 200, realm.jwks);
      if (path === "/_test/rotate" && req.method === "POST") {
        await addSigningKey(realm);
        return json(res, 200, { kid: realm.signing[0]!.kid });
      }
      if (codePath && req.method === "PUT") {
        codes.set(decodeURIComponent(codePath[1]!), JSON.parse(await readBody(req)) as CodeScenario);
        return res.writeHead(204).end();
      }
      if (path === "/token" && req.method === "POST") {
        const form = new URLSearchParams(await readBody(req));
        const scenario = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? "");
        if (!scenario) return json(res, 400, { error: "invalid_grant" });
        const now = Math.floor(Date.now() / 1000);
        const claims: JWTPayload = { iss: issuer, aud: clientIdOf(req, form), sub: scenario.email, email: scenario.email, nonce: scenario.nonce, iat: now, exp: now + 300, ...scenario.claims };
        const signer = scenario.key === "unpublished" ? { kid: "unpublished", keys: unpublished } : realm.signing[0]!;
        const idToken = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: signer.kid }).sign(signer.keys.privateKey);
        return json(res, 200, { access_token: "opaque", token_type: "Bearer", expires_in: 300, id_token: idToken });
      }
      return json(res, 404, { error: "not_found" });
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  return { server, issuer: base };
}
