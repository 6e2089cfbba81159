package doctor_test

// Realistic samples written for these tests: the shapes support staff
// receive. IDs are made up.

const (
	appID    = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	dirID    = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	traceID  = "0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
	corrID   = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	hiveku   = "https://app.hiveku.com/api/oauth/microsoft/callback"
	tsSample = "2026-11-27 06:00:00Z"
)

// sampleURLPlus is the address bar after Microsoft redirected back with an
// error, + for spaces and %xx escapes.
const sampleURLPlus = `https://app.hiveku.com/api/oauth/microsoft/callback?error=invalid_request&error_description=AADSTS50011%3a+The+redirect+URI+%27https%3a%2f%2fapp.hiveku.com%2fapi%2foauth%2fmicrosoft%2fcallback%2f%27+specified+in+the+request+does+not+match+the+redirect+URIs+configured+for+the+application+%275a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d%27.+Make+sure+the+redirect+URI+sent+in+the+request+matches+one+added+to+your+application+in+the+Azure+portal.%0d%0aTrace+ID%3a+0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b%0d%0aCorrelation+ID%3a+9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a%0d%0aTimestamp%3a+2026-11-27+06%3a00%3a00Z&error_uri=https%3a%2f%2flogin.microsoftonline.com%2ferror%3fcode%3d50011&state=q8Zt2`

// sampleURL20 is the same kind of redirect with %20 for spaces (as some
// browsers copy it) and a consent error.
const sampleURL20 = `https://app.hiveku.com/api/oauth/microsoft/callback?error=consent_required&error_description=AADSTS65001:%20The%20user%20or%20administrator%20has%20not%20consented%20to%20use%20the%20application%20with%20ID%20'5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'%20named%20'Acme%20Hiveku'.%20Send%20an%20interactive%20authorization%20request%20for%20this%20user%20and%20resource.%0D%0ATrace%20ID:%200b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b%0D%0ACorrelation%20ID:%209f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a%0D%0ATimestamp:%202026-11-27%2006:00:00Z&error_codes=65001&state=abc`

// sampleTokenJSON is a token endpoint body as curl prints it.
const sampleTokenJSON = `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'.\r\nTrace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b\r\nCorrelation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\r\nTimestamp: 2026-11-27 06:00:00Z","error_codes":[7000215],"timestamp":"2026-11-27 06:00:00Z","trace_id":"0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b","correlation_id":"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a","error_uri":"https://login.microsoftonline.com/error?code=7000215"}`

// sampleNestedJSON is a structured log line carrying the token response
// as an escaped string.
const sampleNestedJSON = `{"level":"error","ts":"2026-11-27T06:00:01Z","msg":"outlook token refresh failed","connection":"c_8812","body":"{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000222: The provided client secret keys for app '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.\\r\\nTrace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b\\r\\nCorrelation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\\r\\nTimestamp: 2026-11-27 06:00:00Z\",\"error_codes\":[7000222],\"timestamp\":\"2026-11-27 06:00:00Z\"}"}`

// samplePageText is Microsoft's error page as copied from the browser.
const samplePageText = `Microsoft
Sign in
Sorry, but we’re having trouble signing you in.

AADSTS700016: Application with identifier '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.

Troubleshooting details
If you contact your administrator, send this info to them.
Copy info to clipboard
Request Id: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b
Correlation Id: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a
Timestamp: 2026-11-27T06:00:00.000Z
Message: AADSTS700016: Application with identifier '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' was not found in the directory 'Contoso'.

Advanced diagnostics: Disable
`

// samplePageHTML is the page source of the same kind of page.
const samplePageHTML = `<!DOCTYPE html><html dir="ltr" lang="en"><head><title>Sign in to your account</title></head><body><div class="row"><div id="loginHeader" class="title" role="heading">Sorry, but we&rsquo;re having trouble signing you in.</div><div class="error-text"><p><b>AADSTS50194</b>: Application &#39;5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d&#39;(Acme Hiveku) isn&#39;t configured as a multitenant application. Usage of the /common endpoint isn&#39;t supported for such applications created after &#39;10/15/2018&#39;. Use a tenant-specific endpoint or configure the application to be multitenant.</p></div><table><tr><td>Request Id:</td><td>0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b</td></tr><tr><td>Correlation Id:</td><td>9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a</td></tr><tr><td>Timestamp:</td><td>2026-11-27T06:00:00Z</td></tr></table></div></body></html>`

// sampleMSALNet is an MSAL.NET exception with its stack trace.
const sampleMSALNet = `Unhandled exception. Microsoft.Identity.Client.MsalServiceException: AADSTS7000222: The provided client secret keys for app '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.
Trace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b
Correlation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a
Timestamp: 2026-11-27 06:00:00Z
   at Microsoft.Identity.Client.Internal.Requests.RequestBase.HandleTokenRefreshError(MsalServiceException e, MsalAccessTokenCacheItem cachedAccessTokenItem)
   at Microsoft.Identity.Client.Internal.Requests.ClientCredentialRequest.ExecuteAsync(CancellationToken cancellationToken)
   at Hiveku.Mail.TokenService.RefreshAsync(String connectionId) in /src/Mail/TokenService.cs:line 88
	StatusCode: 401
	ResponseBody: {"error":"invalid_client","error_description":"AADSTS7000222: The provided client secret keys for app '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' are expired.\r\nTrace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b","error_codes":[7000222]}
	Headers:
	ErrorCode: invalid_client
`

// sampleMSALPython is a printed MSAL Python result dict.
const sampleMSALPython = `ERROR:hiveku.outlook:acquire_token_by_authorization_code failed: {'error': 'invalid_grant', 'error_description': "AADSTS65001: The user or administrator has not consented to use the application with ID '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' named 'Acme Hiveku'. Send an interactive authorization request for this user and resource.\r\nTrace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b\r\nCorrelation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\r\nTimestamp: 2026-11-27 06:00:00Z", 'error_codes': [65001], 'timestamp': '2026-11-27 06:00:00Z', 'trace_id': '0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'correlation_id': '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', 'suberror': 'consent_required'}`

// sampleMSALNode is an msal-node ServerError.
const sampleMSALNode = `ServerError: invalid_grant: 54005 - [2026-11-27 06:00:00Z]: AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token. Trace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b Correlation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a Timestamp: 2026-11-27 06:00:00Z - Correlation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a - Trace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b
    at ServerError.AuthError [as constructor] (/app/node_modules/@azure/msal-common/dist/error/AuthError.mjs:41:24)
    at ResponseHandler.validateTokenResponse (/app/node_modules/@azure/msal-common/dist/response/ResponseHandler.mjs:77:23)`

// sampleJava is an msal4j exception.
const sampleJava = `2026-11-27 06:00:00.123 ERROR 1 --- [nio-8080-exec-3] c.h.mail.OutlookConnector : sign-in failed
com.microsoft.aad.msal4j.MsalServiceException: AADSTS50020: User account 'bob@outlook.com' from identity provider 'live.com' does not exist in tenant 'Contoso' and cannot access the application '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'(Acme Hiveku) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account. Trace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b Correlation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a Timestamp: 2026-11-27 06:00:00Z
	at com.microsoft.aad.msal4j.MsalServiceExceptionFactory.fromHttpResponse(MsalServiceExceptionFactory.java:45)
	at com.microsoft.aad.msal4j.TokenRequestExecutor.createAuthenticationResultFromOauthHttpResponse(TokenRequestExecutor.java:112)`

// sampleGoOAuth2 is golang.org/x/oauth2's RetrieveError text.
const sampleGoOAuth2 = `2026/11/27 06:00:00 exchange code: oauth2: "invalid_client" "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'.\r\nTrace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b\r\nCorrelation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\r\nTimestamp: 2026-11-27 06:00:00Z" "https://login.microsoftonline.com/error?code=7000215"`

// sampleGoOAuth2Old is the older "cannot fetch token" form with the body.
const sampleGoOAuth2Old = `refresh: oauth2: cannot fetch token: 400 Bad Request
Response: {"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-08-01T10:00:00.0000000Z and was inactive for 90.00:00:00.\r\nTrace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b\r\nCorrelation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\r\nTimestamp: 2026-11-27 06:00:00Z","error_codes":[700082],"timestamp":"2026-11-27 06:00:00Z"}`

// sampleOutlook is what Outlook/Office shows, retyped by a customer.
const sampleOutlook = `Something went wrong
Your sign-in was successful but does not meet the criteria to access this resource. For example, you might be signing in from a browser, app, or location that is restricted by your admin.

More details
Error Code: 53003
Request Id: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b
Correlation Id: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a
Timestamp: 2026-11-27T06:00:00.000Z
App name: Acme Hiveku
App id: 5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`

// sampleThunderbird is a mail client's error console line.
const sampleThunderbird = `OAuth2Module: Error in OAuth2 token refresh: invalid_grant (AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource. Trace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b Correlation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a Timestamp: 2026-11-27 06:00:00Z)`

// sampleWrapped is a ticket where the customer's mail client wrapped the
// message mid-sentence, breaking the URI after a slash.
const sampleWrapped = `Hi team, Acme reports this when connecting Outlook:

  AADSTS50011: The redirect URI
  'http://app.hiveku.com/api/oauth/microsoft/
  callback' specified in the request does not match
  the redirect URIs configured for the application
  '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'.

Thanks, Sam`

// sampleSeveral is a log with three different errors and a repeat.
const sampleSeveral = `06:00:01 WARN AADSTS50011: The redirect URI 'https://app.hiveku.com/callback' specified in the request does not match the redirect URIs configured for the application '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'.
06:00:05 INFO retrying
06:00:09 ERROR AADSTS65001: The user or administrator has not consented to use the application with ID '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' named 'Acme Hiveku'.
06:00:12 WARN AADSTS50011: The redirect URI 'https://app.hiveku.com/callback' specified in the request does not match the redirect URIs configured for the application '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'.
06:00:20 ERROR callback: error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.&state=x1
`

// sampleConsumers is the Microsoft account page for a personal account
// signing in to a work-only app (no AADSTS code).
const sampleConsumers = `https://login.live.com/oauth20_authorize.srf?error=unauthorized_client&error_description=The+client+does+not+exist+or+is+not+enabled+for+consumers.+If+you+are+the+application+developer%2c+configure+a+new+application+through+the+App+Registrations+in+the+Azure+Portal+at+https%3a%2f%2fgo.microsoft.com%2ffwlink%2f%3flinkid%3d2083908.`

// sampleConsumersText is the same error retyped in a ticket, without
// the error value.
const sampleConsumersText = `Customer sees "We're unable to complete your request. The client does not exist or is not enabled for consumers." when signing in with her hotmail address.`

// sampleAccessDenied is a bare OAuth error redirect (Cancel pressed).
const sampleAccessDenied = `https://app.hiveku.com/api/oauth/microsoft/callback?error=access_denied&error_subcode=cancel&state=Zq81`

// sampleUnknown carries a code the catalog doesn't know.
const sampleUnknown = `{"error":"invalid_request","error_description":"AADSTS99999123: A brand new failure nobody has seen before.\r\nTrace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b","error_codes":[99999123]}`
