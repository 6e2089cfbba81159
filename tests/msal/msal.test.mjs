// Drives `byok simulate` with Microsoft's own client library, @azure/msal-node,
// the way an application would: client credentials, authorization code with
// PKCE (the browser step done with plain HTTP requests), silent from cache,
// forced refresh, declined consent and redirect mismatches.
//
// scripts/msal-test.sh starts the simulator (with --tls, and plain http
// behind a TLS-terminating proxy) and passes the https base URLs as
// MSAL_TARGETS="name=https://host:port,...". The CA certificates must be in
// NODE_EXTRA_CA_CERTS. Run it with `node --test`.
import { describe, test, before } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, randomUUID, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfidentialClientApplication, CryptoProvider } from "@azure/msal-node";

const world = JSON.parse(readFileSync(new URL("./world.json", import.meta.url), "utf8"));
const app = world.apps[0];
const tenantID = world.tenants[0].id;
const [alex, dana] = world.users;
const [validSecret, expiredSecret] = app.passwordCredentials.map((c) => c.secretText);
const [redirectURI, otherRedirectURI] = app.webRedirectUris;
const graphDefault = "https://graph.microsoft.com/.default";
const guidRE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const targets = (process.env.MSAL_TARGETS || "")
  .split(",")
  .filter(Boolean)
  .map((t) => {
    const i = t.indexOf("=");
    return { name: t.slice(0, i), base: t.slice(i + 1).replace(/\/$/, "") };
  });

if (targets.length === 0) {
  test("msal-node against byok simulate", { skip: "MSAL_TARGETS is not set; run scripts/msal-test.sh" }, () => {});
}

// confidential builds an MSAL web app (confidential client) for base.
function confidential(base, secret = validSecret) {
  return new ConfidentialClientApplication({
    auth: {
      clientId: app.appId,
      authority: `${base}/${tenantID}`,
      clientSecret: secret,
      // MSAL trusts only Microsoft's hosts unless told: listing the
      // simulator's host skips instance discovery (which would call
      // login.microsoftonline.com) and lets MSAL accept its issuer.
      knownAuthorities: [new URL(base).host],
    },
  });
}

function unescapeHTML(s) {
  return s
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

// signIn is the browser: it opens authURL, signs upn in on the
// simulator's pages, accepts or cancels consent, and returns the redirect
// back to the app as a URL. It reads the pages as pages.go promises: the
// first <form> is the one to post, hidden inputs carry the state, error
// pages have id="error-page" data-code="N".
async function signIn(authURL, upn, accept) {
  let url = authURL;
  let init = { redirect: "manual" };
  for (let step = 0; step < 6; step++) {
    const resp = await fetch(url, init);
    const page = await resp.text();
    if (resp.status >= 300 && resp.status < 400) {
      return new URL(resp.headers.get("location"), url);
    }
    const err = page.match(/id="error-page" data-code="(\d+)"/);
    if (err) {
      const e = new Error(`error page AADSTS${err[1]} (HTTP ${resp.status})`);
      Object.assign(e, { code: Number(err[1]), status: resp.status, page, headers: resp.headers });
      throw e;
    }
    const form = page.match(/<form[^>]*action="([^"]*)"[^>]*>/);
    assert.ok(form, `step ${step}: no form on the page (HTTP ${resp.status}):\n${page.slice(0, 400)}`);
    const fields = new URLSearchParams();
    for (const [, k, v] of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) {
      fields.set(unescapeHTML(k), unescapeHTML(v));
    }
    if (page.includes('name="hiddenform"')) {
      throw new Error("form_post answer; this suite uses response_mode=query");
    } else if (page.includes('id="signin"')) {
      fields.set("login", upn);
    } else if (page.includes('id="consent"')) {
      fields.set("accept", String(accept));
    } else if (!page.includes('id="password"')) {
      throw new Error(`step ${step}: unexpected page:\n${page.slice(0, 400)}`);
    }
    url = new URL(unescapeHTML(form[1]), url).toString();
    init = {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: fields.toString(),
    };
  }
  throw new Error("the sign-in did not end in a redirect within 6 pages");
}

// codeFlow runs getAuthCodeUrl → browser → returns the redirect and the PKCE pair.
async function authorize(cca, { upn = alex.userPrincipalName, accept = true, prompt, redirect = redirectURI } = {}) {
  const pkce = await new CryptoProvider().generatePkceCodes();
  const state = randomUUID();
  const correlationId = randomUUID();
  const authURL = await cca.getAuthCodeUrl({
    scopes: ["User.Read"],
    redirectUri: redirect,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: "S256",
    responseMode: "query",
    state,
    prompt,
    correlationId,
  });
  return { authURL, pkce, state, correlationId, redirect: () => signIn(authURL, upn, accept) };
}

function homeAccountIdOf(user) {
  return `${user.id}.${user.tenantId}`;
}

for (const { name, base } of targets) {
  describe(`msal-node ${name} (${base})`, () => {
    let discovery;

    before(async () => {
      const resp = await fetch(`${base}/${tenantID}/v2.0/.well-known/openid-configuration`);
      assert.equal(resp.status, 200);
      discovery = await resp.json();
    });

    test("discovery names the https host the client used", async () => {
      assert.equal(discovery.issuer, `${base}/${tenantID}/v2.0`);
      for (const k of ["token_endpoint", "jwks_uri", "authorization_endpoint"]) {
        assert.ok(discovery[k].startsWith(`${base}/`), `${k} = ${discovery[k]}`);
      }
      const keys = await fetch(discovery.jwks_uri);
      assert.equal(keys.status, 200);
    });

    test("x-ms-request-id on answers, client-request-id echoed", async () => {
      const cid = randomUUID();
      const resp = await fetch(`${base}/${tenantID}/v2.0/.well-known/openid-configuration?client-request-id=${cid}`);
      await resp.arrayBuffer();
      assert.match(resp.headers.get("x-ms-request-id") || "", guidRE);
      assert.equal(resp.headers.get("client-request-id"), cid);
    });

    describe("client credentials", () => {
      test("valid secret", async () => {
        const correlationId = randomUUID();
        const r = await confidential(base).acquireTokenByClientCredential({ scopes: [graphDefault], correlationId });
        assert.ok(r.accessToken, "no access token");
        assert.equal(r.tokenType, "Bearer");
        assert.equal(r.fromCache, false);
        // No requestId check here: msal-node's ClientCredentialClient passes
        // no serverRequestId to handleServerTokenResponse, so requestId is
        // "" for client credentials whatever the server sends. The
        // x-ms-request-id test above and the code flow below cover it.
        assert.equal(r.correlationId, correlationId);
        assert.ok(r.expiresOn > new Date(), `expiresOn ${r.expiresOn}`);
        assert.deepEqual(r.scopes, [graphDefault]);
      });

      test("wrong secret: invalid_client AADSTS7000215, our correlation ID", async () => {
        const correlationId = randomUUID();
        await assert.rejects(
          confidential(base, "not-the-secret").acquireTokenByClientCredential({ scopes: [graphDefault], correlationId }),
          (e) => {
            assert.equal(e.errorCode, "invalid_client");
            assert.match(e.errorMessage, /AADSTS7000215/);
            assert.match(e.errorMessage, new RegExp(`Correlation ID: ${correlationId}`));
            return true;
          },
        );
      });

      test("expired secret: invalid_client AADSTS7000222", async () => {
        await assert.rejects(
          confidential(base, expiredSecret).acquireTokenByClientCredential({ scopes: [graphDefault] }),
          (e) => {
            assert.equal(e.errorCode, "invalid_client");
            assert.match(e.errorMessage, /AADSTS7000222/);
            return true;
          },
        );
      });
    });

    describe("authorization code with PKCE, then silent", () => {
      const cca = confidential(base);
      let first;

      test("sign in, consent, redeem: account keyed <oid>.<tid>", async () => {
        const a = await authorize(cca, { prompt: "consent" });
        const u = new URL(a.authURL);
        assert.equal(u.searchParams.get("client_info"), "1", "MSAL asks for client_info");
        assert.equal(u.searchParams.get("client-request-id"), a.correlationId);
        const back = await a.redirect();
        assert.equal(back.origin + back.pathname, redirectURI);
        assert.equal(back.searchParams.get("state"), a.state);
        assert.ok(back.searchParams.get("client_info"), "no client_info on the redirect");
        const r = await cca.acquireTokenByCode(
          {
            code: back.searchParams.get("code"),
            scopes: ["User.Read"],
            redirectUri: redirectURI,
            codeVerifier: a.pkce.verifier,
            state: a.state,
          },
          Object.fromEntries(back.searchParams),
        );
        assert.equal(r.account.homeAccountId, homeAccountIdOf(alex));
        assert.equal(r.account.username, alex.userPrincipalName);
        assert.equal(r.idTokenClaims.iss, `${base}/${tenantID}/v2.0`, "id_token iss must name the host discovery named");
        assert.ok(r.scopes.map((s) => s.toLowerCase()).includes("user.read"), `scopes ${r.scopes}`);
        assert.match(r.requestId, guidRE);
        assert.equal(r.fromCache, false);
        first = r;
      });

      test("the ID token verifies against jwks_uri and its iss is discovery's issuer", async () => {
        assert.ok(first, "needs the sign-in above");
        const [h, p, sig] = first.idToken.split(".");
        const header = JSON.parse(Buffer.from(h, "base64url").toString());
        const claims = JSON.parse(Buffer.from(p, "base64url").toString());
        const { keys } = await (await fetch(discovery.jwks_uri)).json();
        const jwk = keys.find((k) => k.kid === header.kid);
        assert.ok(jwk, `no key ${header.kid} at ${discovery.jwks_uri}`);
        const ok = verify("RSA-SHA256", Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(sig, "base64url"));
        assert.ok(ok, "signature does not verify");
        assert.equal(claims.iss, discovery.issuer);
        assert.equal(claims.aud, app.appId);
      });

      test("the access token calls Graph /v1.0/me", async () => {
        assert.ok(first, "needs the sign-in above");
        const resp = await fetch(`${base}/v1.0/me`, { headers: { authorization: `Bearer ${first.accessToken}` } });
        const me = await resp.json();
        assert.equal(resp.status, 200, JSON.stringify(me));
        assert.equal(me.userPrincipalName, alex.userPrincipalName);
        assert.equal(me.id, alex.id);
      });

      test("getAccountByHomeId finds the account", async () => {
        assert.ok(first, "needs the sign-in above");
        const acc = await cca.getTokenCache().getAccountByHomeId(homeAccountIdOf(alex));
        assert.ok(acc, "getAccountByHomeId missed the account");
        assert.equal(acc.tenantId, tenantID);
      });

      test("acquireTokenSilent answers from the cache", async () => {
        const acc = await cca.getTokenCache().getAccountByHomeId(homeAccountIdOf(alex));
        const r = await cca.acquireTokenSilent({ account: acc, scopes: ["User.Read"] });
        assert.equal(r.fromCache, true);
        assert.equal(r.accessToken, first.accessToken);
      });

      test("forceRefresh redeems the refresh token", async () => {
        const acc = await cca.getTokenCache().getAccountByHomeId(homeAccountIdOf(alex));
        const r = await cca.acquireTokenSilent({ account: acc, scopes: ["User.Read"], forceRefresh: true });
        assert.equal(r.fromCache, false);
        assert.notEqual(r.accessToken, first.accessToken);
        assert.equal(r.account.homeAccountId, homeAccountIdOf(alex));
        assert.match(r.requestId, guidRE);
      });
    });

    test("declined consent: access_denied AADSTS65004, error_subcode cancel", async () => {
      const a = await authorize(confidential(base), { upn: dana.userPrincipalName, accept: false, prompt: "consent" });
      const back = await a.redirect();
      assert.equal(back.searchParams.get("error"), "access_denied");
      assert.equal(back.searchParams.get("error_subcode"), "cancel");
      assert.match(back.searchParams.get("error_description"), /^AADSTS65004:/);
      assert.match(back.searchParams.get("error_description"), new RegExp(`Correlation ID: ${a.correlationId}`));
      assert.equal(back.searchParams.get("state"), a.state);
      assert.equal(back.searchParams.get("code"), null);
    });

    test("redirect URI differs at /token: AADSTS500112", async () => {
      const cca = confidential(base);
      const a = await authorize(cca);
      const back = await a.redirect();
      await assert.rejects(
        cca.acquireTokenByCode({
          code: back.searchParams.get("code"),
          scopes: ["User.Read"],
          redirectUri: otherRedirectURI,
          codeVerifier: a.pkce.verifier,
        }),
        (e) => {
          assert.match(e.errorMessage, /AADSTS500112/);
          assert.ok(e.errorMessage.includes(`'${otherRedirectURI}' does not match the reply address '${redirectURI}'`), e.errorMessage);
          return true;
        },
      );
    });

    test("unregistered redirect URI at /authorize: AADSTS50011 error page", async () => {
      const a = await authorize(confidential(base), { redirect: "http://localhost/not-registered" });
      await assert.rejects(a.redirect(), (e) => {
        assert.equal(e.code, 50011);
        assert.equal(e.status, 400);
        assert.ok(e.page.includes(a.correlationId), "the page shows the caller's correlation ID");
        assert.equal(e.headers.get("client-request-id"), a.correlationId);
        assert.match(e.headers.get("x-ms-request-id") || "", guidRE);
        return true;
      });
    });
  });
}
