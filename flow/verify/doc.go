// Package verify is byok's verification engine: the offline checks, then a
// live test against the Microsoft identity platform (v2.0) and Microsoft
// Graph that proves an app registration works end to end: discovery,
// client credentials, consent (authorization code + PKCE), token, mailbox,
// refresh and per-permission access.
//
// The engine follows Microsoft's documented protocol and nothing else, so
// it runs unchanged against login.microsoftonline.com, the national
// clouds and byok's built-in simulator. Every side effect (HTTP client,
// clock, randomness, browser, listener, timer) is a field of Verifier.
//
// Tokens are never stored, printed or put into errors: they live in local
// variables for the length of one run.
package verify
