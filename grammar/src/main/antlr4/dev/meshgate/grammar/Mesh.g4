// Meshgate policy language, v1 + service mesh (issue 3). See docs/language.md for what each construct means.
//
// Design notes:
// - No statement terminators: every statement starts with a keyword, so ANTLR can resync on
//   the next keyword after an error and the compiler reports several errors per file.
// - Keywords are real tokens (good "expected ..." messages), and the `name` rule accepts every
//   keyword again, so a service may be called `source` or `host`.
// - Values are lexed loosely (DIGIT_WORD covers 250ms, 2h and 5xx alike; IDENT allows upper
//   case) and judged by the checker, which can say *why* a value is wrong.
// - Unknown characters go to the hidden channel; the parser front end reports them (MG102)
//   and the parser carries on as if they were not there.
grammar Mesh;

// ---------------------------------------------------------------- files and declarations

policy : decl* EOF ;

decl
  : serviceDecl
  | gatewayDecl
  | meshDecl
  | ruleDecl
  | callDecl
  | testDecl
  ;

// ---------------------------------------------------------------- services

serviceDecl : SERVICE name serviceBody ;

serviceBody : '{' serviceStmt* '}' ;

serviceStmt
  : sourceStmt
  | protocolStmt
  | subsetStmt
  | sidecarDecl
  | clusterStmt          // cluster settings (issue 14): the default for every caller of the service
  | tracingDecl          // tracing (issue 15): the service's sidecars trace what they serve and call
  ;

sourceStmt : SOURCE sourceKind ;

sourceKind
  : STATIC endpoint (',' endpoint)*          # staticSource
  | CONSUL string consulOption*              # consulSource
  | KUBERNETES string (PORT kubernetesPort)? # kubernetesSource
  ;

consulOption : DATACENTER string | TAG string ;

kubernetesPort : name | INT ;

// `hostname "api-1.internal"`: the EDS endpoint hostname (what `rewrite host to-endpoint` sends).
endpoint : endpointHost ':' portNumber (HOSTNAME string)? (LABELS label+)? ;

endpointHost
  : IPV4
  | name ('.' name)*
  ;

label : labelKey '=' labelValue ;

labelKey : name | string ;

labelValue : name | INT | DIGIT_WORD | string ;

protocolStmt : PROTOCOL name ;

subsetStmt : SUBSET name WHERE selector (AND selector)* subsetBody? ;

// Cluster settings of one subset (issue 14): `subset v2 where version = "v2" { circuit-breaker { max-requests 10 } }`;
// each statement replaces the service's statement of the same kind for the subset's cluster.
subsetBody : '{' clusterStmt* '}' ;

selector : labelKey '=' string ;

// Cluster settings (issue 14): how every caller's Envoy treats the service's endpoints. One
// alternative per statement; a block's fields are `name value` pairs judged by the checker (it
// names the fields each statement knows), so a new field needs no grammar change.
// `circuit-breaker { max-connections 100 max-pending 10 retry-budget 20% }`,
// `outlier-detection { consecutive-5xx 3 base-ejection 30s }`,
// `health-check http "/healthz" { expect 200 interval 5s }`, `health-check tcp`, `panic-threshold 50%`,
// `load-balancer least-request { choice-count 2 }`, `load-balancer ring-hash`, `slow-start 30s`.
clusterStmt
  : CIRCUIT_BREAKER clusterFields                      # circuitBreakerStmt
  | OUTLIER_DETECTION clusterFields                    # outlierDetectionStmt
  | HEALTH_CHECK name string? clusterFields?           # healthCheckStmt
  | PANIC_THRESHOLD weight                             # panicThresholdStmt
  | LOAD_BALANCER name clusterFields?                  # loadBalancerStmt   // load balancing (issue 14)
  | SLOW_START duration clusterFields?                 # slowStartStmt
  ;

clusterFields : '{' clusterField* '}' ;

clusterField : (name | EXPECT) clusterValue ;

clusterValue
  : INT '%'?
  | DIGIT_WORD
  | string
  ;

// `sidecar { inbound :15101  app 127.0.0.1:9101  outbound 127.0.0.1:15001 }`
sidecarDecl : SIDECAR sidecarBody ;

sidecarBody : '{' (sidecarStmt | zoneStmt | accessLogStmt)* '}' ;

// load balancing (issue 14): `zone "eu-1a"`, the zone a gateway or a service's sidecars run in:
// endpoints in that zone are preferred (Envoy priority 0), the others take over when it has none
// healthy.
zoneStmt : ZONE string ;

sidecarStmt : sidecarKind socketAddress ;

sidecarKind : INBOUND | APP | OUTBOUND ;

socketAddress : IPV4? ':' portNumber ;

// ---------------------------------------------------------------- mesh, rules, calls

meshDecl : MESH name? meshBody ;

meshBody : '{' meshStmt* '}' ;

meshStmt
  : TRUST_DOMAIN string      # trustDomainStmt
  | MTLS name                # mtlsStmt
  | AUTHZ DEFAULT name       # authzDefaultStmt
  ;

// `allow orders -> catalog GET /catalog/**, /health`. Paths may be separated by commas; a
// PATH token may swallow a glued comma ("/a/**,"), which the front end strips.
ruleDecl : ruleEffect DRY_RUN? ruleSource '->' name METHOD* (PATH (','? PATH)*)? ;

ruleEffect : ALLOW | DENY ;

ruleSource : name | '*' ;

// `call orders -> catalog { timeout 1s retry 2 on 5xx per-try 300ms }`; towards a tcp service
// `call orders -> db { port 15432 }` (the local port the caller's app connects to). Cluster
// statements (`circuit-breaker { … }`, …) replace the callee's for the caller's sidecar only.
callDecl : CALL name '->' name callBody? ;

callBody : '{' callStmt* '}' ;

callStmt
  : TIMEOUT timeoutValue     # callTimeoutStmt
  | BACKEND_TIMEOUT duration # callBackendTimeoutStmt
  | FAULT faultSpec          # callFaultStmt
  | RETRY retrySpec          # callRetryStmt
  | PORT portNumber          # callPortStmt
  | MIRROR target            # callMirrorStmt
  | HASH_BY hashSource       # callHashByStmt
  | clusterStmt              # callClusterStmt   // the caller's own cluster settings (issue 14)
  | RATE_LIMIT rateLimitSpec # callRateLimitStmt   // local rate limits (issue 13)
  | TRACE SAMPLE weight      # callTraceStmt     // tracing (issue 15)
  ;

// ---------------------------------------------------------------- policy tests

// `test "canary" { expect GET api.shop.example/catalog/items via edge => catalog.v1 90%, catalog.v2 10% }`
// Test blocks are never served: `meshgate test` runs them against the compiled Envoy resources.
testDecl : TEST string testBody ;

testBody : '{' expectStmt* '}' ;

expectStmt : EXPECT expectBurst? expectRequest requestOption* '=>' expectOutcome outcomeCheck* ;

// local rate limits (issue 13): `expect burst 11 GET api.example/x via edge => 429` sends 11
// requests at once; the outcome is the last one's.
expectBurst : BURST INT ;

expectRequest
  : name '->' name METHOD? PATH?              # callRequest
  | METHOD? requestHost PATH VIA name         # gatewayRequest
  ;

// A concrete host (no wildcard): `api.shop.example`, `127.0.0.1`, or any text as "a string".
requestHost
  : name ('.' name)*
  | IPV4
  | string
  ;

requestOption
  : WITH HEADER string '=' string             # withHeader
  | WITH QUERY string '=' string              # withQuery
  | WITH JWT                                  # withJwt
  | WITH JWT CLAIMS '{' (jwtTestClaim (','? jwtTestClaim)*)? '}'   # withJwtClaims   // jwt (issue 12)
  | WITH API_KEY CLIENT string                # withApiKey      // api keys (issue 12)
  | WITH BASIC_AUTH USER string               # withBasicAuth   // basic auth (issue 12)
  ;

// jwt (issue 12): `with jwt claims { "role" = "admin", "scope" = "read write" }`
jwtTestClaim : string '=' string ;

expectOutcome
  : REDIRECT statusCode string                # redirectOutcome
  | statusCode                                # statusOutcome
  | FAULT statusCode                          # faultOutcome       // a certain fault abort (issue 14)
  | target (',' target)*                      # targetOutcome
  ;

outcomeCheck : WITH headerDirection string '=' string ;

// ---------------------------------------------------------------- gateways

gatewayDecl : GATEWAY name gatewayBody ;

gatewayBody : '{' gatewayStmt* '}' ;

// A route statement written on a gateway or a host is that place's default for its routes
// (the most specific place wins); the checker says which settings may sit where.
gatewayStmt
  : listenStmt
  | hostDecl
  | routeStmt
  | certificateStmt      // tls (issue 12)
  | jwtProviderDecl      // jwt (issue 12)
  | oidcProviderDecl     // oidc login (issue 12)
  | zoneStmt             // load balancing (issue 14)
  | accessLogStmt        // access logs (issue 15)
  | limitStmt            // request limits (issue 13)
  | tracingDecl          // tracing (issue 15)
  | rateLimitServiceStmt // global rate limits (issue 13)
  | extAuthzDecl         // external authorization (issue 12)
  | apiKeysDecl          // api keys (issue 12)
  | basicAuthDecl        // basic auth (issue 12)
  ;

// api keys (issue 12): `api-keys "partners" { keys file "/etc/meshgate/partners.keys"
// from header "x-api-key" }`: the keys (and the client each one names) stay in the file, which
// `meshgate serve` reads; `keys "…"` (a key written in the policy) parses only to be refused.
apiKeysDecl : API_KEYS string '{' apiKeysField* '}' ;

apiKeysField
  : KEYS FILE string                             # apiKeysFile
  | KEYS KUBERNETES_SECRET string                # apiKeysKubernetesSecret // "ns/name"
  | KEYS string                                  # apiKeysLiteral
  | FROM HEADER string                           # apiKeysFromHeader
  | FROM QUERY string                            # apiKeysFromQuery
  | FROM COOKIE string                           # apiKeysFromCookie
  ;

// basic auth (issue 12): `basic-auth "admins" { users file "/etc/meshgate/admins.htpasswd" }`:
// the users and their password hashes stay in the htpasswd file, which `meshgate serve` reads;
// `users "…"` (credentials written in the policy) parses only to be refused.
basicAuthDecl : BASIC_AUTH string '{' basicAuthField* '}' ;

basicAuthField
  : USERS FILE string                            # basicAuthUsersFile
  | USERS KUBERNETES_SECRET string               # basicAuthUsersKubernetesSecret // "ns/name"
  | USERS string                                 # basicAuthUsersLiteral
  ;

// external authorization (issue 12): `ext-authz "policy" { grpc "127.0.0.1:9191" timeout 200ms
// on-error deny send-headers "x-user" }` or `ext-authz "opa" { http "127.0.0.1:8181" path-prefix
// "/authz" upstream-headers "x-user-id" }`: a service that decides each request of the routes that
// `require ext-authz "policy"`. The service kind is a word (grpc, http) judged by the checker.
extAuthzDecl : EXT_AUTHZ string extAuthzBody ;

extAuthzBody : '{' extAuthzField* '}' ;

extAuthzField
  : (GRPC | IDENT) string (PATH_PREFIX string)?  # extAuthzService
  | TIMEOUT duration                             # extAuthzTimeout
  | ON_ERROR ruleEffect                          # extAuthzOnError
  | SEND_HEADERS string (',' string)*            # extAuthzSendHeaders
  | UPSTREAM_HEADERS string (',' string)*        # extAuthzUpstreamHeaders
  ;

// global rate limits (issue 13): `rate-limit service "127.0.0.1:8081" timeout 100ms fail-closed`:
// where the gateway's Envoys ask Envoy's rate-limit service (gRPC) whether a request is within a
// `global` limit; fail-open (the default) lets requests through when the service cannot answer.
rateLimitServiceStmt : RATE_LIMIT SERVICE string (TIMEOUT duration)? (FAIL_OPEN | FAIL_CLOSED)? ;

// access logs (issue 15): `access-log json to file "/var/log/envoy/edge.log" { fields method,
// path, status, header "x-user"  only errors  only slower-than 500ms  sample 10% }`,
// `access-log text "%method% %path% %status%" to stdout`, `access-log json to otlp "127.0.0.1:4317"`
// (OTLP/gRPC logs to a collector). The format word (json, text), the sink word (stdout, stderr,
// otlp) and the field and filter words are names judged by the checker, which says which words it
// knows.
accessLogStmt : ACCESS_LOG name string? TO accessLogSink accessLogBody? ;

accessLogSink
  : FILE string                                  # accessLogFile
  | name string                                  # accessLogOtlp
  | name                                         # accessLogStream
  ;

accessLogBody : '{' accessLogClause* '}' ;

accessLogClause
  : FIELDS accessLogField (',' accessLogField)*  # accessLogFields
  | ONLY name duration?                          # accessLogOnly
  | SAMPLE weight                                # accessLogSample
  ;

accessLogField
  : HEADER string                                # accessLogHeaderField
  | RESPONSE_HEADER string                       # accessLogResponseHeaderField
  | name                                         # accessLogNamedField
  ;

// request limits (issue 13): what every connection to the gateway's listeners may hold:
// `max-request-headers 64kb` (431 above it), `idle-timeout 1h`, `stream-idle-timeout 5m` (`none`: no limit).
limitStmt
  : MAX_REQUEST_HEADERS size                     # maxRequestHeadersStmt
  | IDLE_TIMEOUT timeoutValue                    # idleTimeoutStmt
  | STREAM_IDLE_TIMEOUT timeoutValue             # streamIdleTimeoutStmt
  ;

// tracing (issue 15): `tracing { collector "127.0.0.1:4317" sample 10% tag "tenant" from header
// "x-tenant" }`: the proxy sends OpenTelemetry spans (OTLP/gRPC) to the collector, for the given
// share of requests, with request headers as span tags; W3C trace context is propagated.
tracingDecl : TRACING tracingBody ;

tracingBody : '{' tracingField* '}' ;

tracingField
  : COLLECTOR string                             # tracingCollector
  | SAMPLE weight                                # tracingSample
  | TAG string FROM HEADER string                # tracingTag
  ;

// jwt (issue 12): `jwt-provider "auth0" { issuer "https://auth.example/" audiences "shop-api"
// jwks "https://auth.example/.well-known/jwks.json" cache 10m | jwks file "jwks.json"
// from header "authorization" prefix "Bearer " | from query "token" | from cookie "jwt"
// claim "sub" to-header "x-user" }`
jwtProviderDecl : JWT_PROVIDER string jwtProviderBody ;

jwtProviderBody : '{' jwtProviderField* '}' ;

jwtProviderField
  : ISSUER string                                # jwtIssuer
  | AUDIENCES string (',' string)*               # jwtAudiences
  | JWKS FILE string                             # jwtLocalJwks
  | JWKS string (CACHE duration)?                # jwtRemoteJwks
  | FROM HEADER string (PREFIX string)?          # jwtFromHeader
  | FROM QUERY string                            # jwtFromQuery
  | FROM COOKIE string                           # jwtFromCookie
  | CLAIM string TO_HEADER string                # jwtClaimToHeader
  ;

listenStmt : LISTEN IPV4? ':' portNumber listenMode? ;

// oidc login (issue 12): `oidc-provider "corp" { authorization-endpoint "https://idp/authorize"
// token-endpoint "https://idp/token" client-id "shop-web" client-secret file "/etc/…" | env "VAR"
// cookie-secret file "…" | env "…"  redirect-path "/oauth2/callback"  logout-path "/logout"
// scopes "openid", "email" }`. A literal `client-secret "…"` parses and is refused by the checker
// (MG612), which can then say where the secret belongs.
oidcProviderDecl : OIDC_PROVIDER string oidcProviderBody ;

oidcProviderBody : '{' oidcProviderField* '}' ;

oidcProviderField
  : AUTHORIZATION_ENDPOINT string                # oidcAuthorizationEndpoint
  | TOKEN_ENDPOINT string                        # oidcTokenEndpoint
  | CLIENT_ID string                             # oidcClientId
  | CLIENT_SECRET secretSource                   # oidcClientSecret
  | COOKIE_SECRET secretSource                   # oidcCookieSecret
  | REDIRECT_PATH string                         # oidcRedirectPath
  | LOGOUT_PATH string                           # oidcLogoutPath
  | SCOPES string (',' string)*                  # oidcScopes
  ;

secretSource
  : FILE string                                  # secretFile
  | ENV string                                   # secretEnv
  | string                                       # secretLiteral
  ;

// tls (issue 12): `listen :8443 tls min-version 1.3 client-certificate required ca file "clients.pem"`,
// `listen :8080 redirect https [:8443]`.
listenMode
  : TLS tlsOption*                               # tlsListen
  | REDIRECT name (':' portNumber)?              # redirectListen
  ;

tlsOption
  : MIN_VERSION tlsVersion                       # minVersionOption
  | CIPHERS string (',' string)*                 # ciphersOption
  | CLIENT_CERTIFICATE name? CA FILE string      # clientCertificateOption
  ;

tlsVersion : INT '.' INT ;

// tls (issue 12): `certificate "api.shop.example", "*.shop.example" file "api.pem" key file "api.key"`
// or `certificate "localhost" built-in-ca` (issued by the mesh CA, for development).
certificateStmt : CERTIFICATE string (',' string)* certificateSource ;

certificateSource
  : FILE string KEY FILE string                  # fileCertificate
  | BUILT_IN_CA                                  # builtInCertificate
  ;

// `host "shop.example", "www.shop.example" { … }`: one virtual host answering several domains.
hostDecl : HOST string (',' string)* hostBody ;

hostBody : '{' hostStmt* '}' ;

hostStmt
  : routeDecl
  | routeStmt
  ;

// `route GET /a/** or POST /b when header "x" = "1" { … }`: the route takes a request that
// matches any of its alternatives (each one methods, a path and conditions).
routeDecl : ROUTE routeMatch (OR routeMatch)* routeBody ;

routeMatch : METHOD* pathMatch conditions? ;

pathMatch
  : PATH             # plainPath
  | '~' string       # regexPath
  ;

conditions : WHEN condition (AND condition)* ;

condition : conditionKind string (op='=' | op='~') string ;

conditionKind : HEADER | QUERY ;

routeBody : '{' routeStmt* '}' ;

routeStmt
  : TO target (',' target)*                                                          # toStmt
  | REWRITE PREFIX string '=>' string                                                # rewriteStmt
  | REWRITE HOST string                                                              # rewriteHostStmt
  | REWRITE HOST TO_ENDPOINT                                                         # rewriteHostToEndpointStmt
  | REWRITE PREFIX string                                                            # rewriteMatchedPrefixStmt
  | REWRITE PATH_WORD string                                                         # rewritePathStmt
  | TIMEOUT timeoutValue                                                             # timeoutStmt
  | BACKEND_TIMEOUT duration                                                         # backendTimeoutStmt
  | FAULT faultSpec                                                                  # faultStmt
  | RETRY retrySpec                                                                   # retryStmt
  | SET headerDirection string '=' string                                            # setHeaderStmt
  | REMOVE headerDirection string                                                    # removeHeaderStmt
  | ADD headerDirection string '=' string                                            # addHeaderStmt
  | REDIRECT redirectSpec                                                            # redirectStmt
  | RESPOND statusCode string?                                                       # respondStmt
  | CORS corsBody                                                                    # corsStmt
  | MIRROR target                                                                    # mirrorStmt
  | REQUIRE JWT string OPTIONAL?                                                     # requireJwtStmt   // jwt (issue 12)
  | REQUIRE NONE                                                                     # requireNoneStmt  // jwt (issue 12)
  | REQUIRE EXT_AUTHZ string                                                         # requireExtAuthzStmt // ext-authz (issue 12)
  | EXT_AUTHZ IDENT                                                                  # extAuthzOffStmt  // `ext-authz off`
  | REQUIRE API_KEY string (CLIENTS string (',' string)*)?                           # requireApiKeyStmt // api keys (issue 12)
  | REQUIRE OIDC string                                                              # requireOidcStmt  // oidc login (issue 12)
  | REQUIRE BASIC_AUTH string (USERS string (',' string)*)?                          # requireBasicAuthStmt // basic auth (issue 12)
  | ruleEffect JWT jwtCondition (AND jwtCondition)*                                  # jwtRuleStmt      // jwt (issue 12)
  | HASH_BY hashSource                                                               # hashByStmt
  | clusterStmt                                                                      # routeClusterStmt // refused: MG382 (issue 14)
  | RATE_LIMIT rateLimitSpec                                                         # rateLimitStmt    // local rate limits (issue 13)
  | COMPRESS IDENT (','? IDENT)* compressOption*                                     # compressStmt     // compression (issue 13)
  | MAX_REQUEST_BODY (size | NONE)                                                   # maxRequestBodyStmt // request limits (issue 13)
  | TRACE SAMPLE weight                                                              # traceStmt        // tracing (issue 15)
  | ERROR_RESPONSE errorResponseSpec                                                 # errorResponseStmt // custom responses (issue 13)
  | GRPC_JSON grpcJsonSpec                                                           # grpcJsonStmt     // gRPC transcoding (issue 13)
  | GRPC_WEB                                                                         # grpcWebStmt      // gRPC-Web (issue 13)
  ;

// gRPC transcoding (issue 13): `grpc-json descriptor "protos/bookstore.pb" services "bookstore.Bookstore"
// preserve-field-names`: JSON clients of a gRPC service. The descriptor set is read when the policy
// compiles, relative to the policy file. Options are plain words (the checker knows them), so a
// keyword ends the list.
grpcJsonSpec : DESCRIPTOR string SERVICES string (',' string)* IDENT* ;

// custom responses (issue 13): `error-response 5xx, 404 json "{\"error\": \"%status%\"}"`,
// `error-response 5xx html file "errors/5xx.html"` (read at compile time, next to the policy), or
// `error-response off` (no inherited error responses here). Statuses and the format are loose
// (INT, DIGIT_WORD such as 5xx, a plain word): the checker says which ones it knows.
errorResponseSpec
  : errorStatus (',' errorStatus)* IDENT (string | FILE string)                      # errorResponseRule
  | IDENT                                                                            # errorResponseOff
  ;

errorStatus : INT | DIGIT_WORD ;

// local rate limits (issue 13): `rate-limit 100 per 1m burst 150 by header "x-api-key" dry-run`:
// a token bucket of `burst` tokens (default: the rate) refilled with `rate` tokens every interval;
// `by` gives each distinct value its own bucket (client-ip, a request header, a JWT claim).
// `global` (issue 13.2): one budget shared by every Envoy of the gateway, counted by Envoy's
// rate-limit service (see rateLimitServiceStmt).
rateLimitSpec : INT PER duration (BURST INT)? GLOBAL? rateLimitKey? DRY_RUN? ;

rateLimitKey
  : BY CLIENT_IP                                 # clientIpKey
  | BY HEADER string                             # headerKey
  | BY JWT CLAIM string                          # jwtClaimKey
  ;

// compression (issue 13): `compress gzip, brotli types "application/json", "text/html" min-size 1kb`,
// or `compress off`. Algorithms are plain words (the checker knows them), so a keyword ends the list.
compressOption
  : TYPES string (','? string)*                  # compressTypes
  | MIN_SIZE size                                # compressMinSize
  ;

// load balancing (issue 14): what a hashing load balancer (ring-hash, maglev) hashes, so the same
// user keeps reaching the same endpoint: `hash-by header "x-user"`, `hash-by cookie "sticky" ttl 1h`
// (Envoy sets the cookie when the client has none), `hash-by source-ip`.
hashSource
  : HEADER string                                # headerHash
  | COOKIE string (TTL duration)?                # cookieHash
  | SOURCE_IP                                    # sourceIpHash
  ;

// routing (issue 11): `redirect 301 https host "b.example" port 8443 path "/new" strip-query`,
// `redirect prefix "/new/"`: only the parts written change; a bare word is `http`, `https` or
// `strip-query` (the checker says which words it knows).
redirectSpec
  : statusCode string                            # redirectLocation
  | statusCode? redirectPart+                    # redirectParts
  ;

redirectPart
  : HOST string                                  # redirectHostPart
  | PORT portNumber                              # redirectPortPart
  | PATH_WORD string                             # redirectPathPart
  | PREFIX string                                # redirectPrefixPart
  | IDENT                                        # redirectWordPart
  ;

// jwt (issue 12): `allow jwt claim "role" = "admin" and scope "orders:write"`
jwtCondition
  : CLAIM string '=' string                      # claimCondition
  | SCOPE string                                 # scopeCondition
  ;

// cors (issue 12): `cors { origin "https://app.example" origin ~ "https://.*\\.example" methods GET, POST
// headers "content-type" expose "x-request-id" credentials max-age 10m }`
corsBody : '{' corsField* '}' ;

corsField
  : ORIGIN '~'? string                           # corsOrigin
  | METHODS METHOD (',' METHOD)*                 # corsMethods
  | HEADERS string (',' string)*                 # corsHeaders
  | EXPOSE string (',' string)*                  # corsExpose
  | CREDENTIALS                                  # corsCredentials
  | MAX_AGE duration                             # corsMaxAge
  ;

retrySpec : retryAttempts (ON retryCondition (',' retryCondition)*)? retryOption* ;

// resilience (issue 14): `per-try 500ms`, `backoff 25ms max 250ms`, `idempotent` (retrying a
// POST/PATCH route is safe), in any order.
retryOption
  : PER_TRY duration                          # retryPerTry
  | BACKOFF duration (MAX duration)?          # retryBackoff
  | IDEMPOTENT                                # retryIdempotent
  ;

// resilience (issue 11): `timeout 2s` or `timeout none` (no limit: streams, long polls).
timeoutValue
  : duration
  | NONE
  ;

// resilience (issue 14): `fault delay 2s 10%`, `fault abort 503 5%`, `fault abort grpc 14`,
// each optionally `when header "x-chaos"` (only requests that carry the header).
faultSpec
  : DELAY duration weight? faultHeader?             # delayFault
  | ABORT GRPC? statusCode weight? faultHeader?     # abortFault
  ;

faultHeader : WHEN HEADER string ;

target : name ('.' name)? weight? ;

weight : INT '%' ;

retryAttempts : INT ;

retryCondition : name | DIGIT_WORD | INT ;

headerDirection : REQUEST_HEADER | RESPONSE_HEADER ;

// ---------------------------------------------------------------- values

duration : DIGIT_WORD ;

statusCode : INT ;

portNumber : INT ;

// A size in bytes: `1024`, or with a unit `512b`, `64kb`, `1mb` (the checker judges the unit).
size : INT | DIGIT_WORD ;

string : STRING ;

// Any identifier, keywords included: keywords are only reserved where a statement starts.
name
  : IDENT
  | SERVICE | SOURCE | STATIC | CONSUL | DATACENTER | TAG | KUBERNETES | LABELS | PORT | PROTOCOL | SUBSET | WHERE
  | AND | GATEWAY | LISTEN | HOST | ROUTE | WHEN | HEADER | QUERY | TO | REWRITE | PREFIX
  | TIMEOUT | RETRY | ON | PER_TRY | SET | REMOVE | REQUEST_HEADER | RESPONSE_HEADER
  | REDIRECT | RESPOND
  | MESH | TRUST_DOMAIN | MTLS | AUTHZ | DEFAULT | SIDECAR | INBOUND | APP | OUTBOUND
  | ALLOW | DENY | DRY_RUN | CALL
  | TEST | VIA | WITH | JWT          // not EXPECT: after `=>` a new `expect` must not read as a target
  | TLS | MIN_VERSION | CIPHERS | CLIENT_CERTIFICATE | CA | FILE | CERTIFICATE | KEY | BUILT_IN_CA     // tls (issue 12)
  | CORS | ORIGIN | METHODS | HEADERS | EXPOSE | CREDENTIALS | MAX_AGE                                // cors (issue 12)
  | BACKEND_TIMEOUT | NONE | FAULT | DELAY | ABORT | GRPC | BACKOFF | MAX | IDEMPOTENT // resilience (issues 11, 14)
  | ADD                              // routing: header add (issue 11)
  | MIRROR | OR                     // routing: mirrors, match alternatives (issue 11)
  | CIRCUIT_BREAKER | OUTLIER_DETECTION | HEALTH_CHECK | PANIC_THRESHOLD // cluster settings (issue 14)
  | JWT_PROVIDER | ISSUER | AUDIENCES | JWKS | CACHE | FROM | COOKIE | CLAIM | TO_HEADER | SCOPE
  | REQUIRE | OPTIONAL | CLAIMS       // jwt (issue 12)
  | OIDC_PROVIDER | OIDC | AUTHORIZATION_ENDPOINT | TOKEN_ENDPOINT | CLIENT_ID | CLIENT_SECRET
  | COOKIE_SECRET | REDIRECT_PATH | LOGOUT_PATH | SCOPES | ENV // oidc login (issue 12)
  | KUBERNETES_SECRET                // api keys and basic auth from a Secret (issue 12)
  | HASH_BY | COOKIE | TTL | SOURCE_IP | ZONE | LOAD_BALANCER | SLOW_START // load balancing (issue 14)
  | PATH_WORD                        // routing: redirect/rewrite parts (issue 11)
  | HOSTNAME | TO_ENDPOINT           // routing: host rewrite to the endpoint's hostname (issue 11)
  | ACCESS_LOG | FIELDS | ONLY | SAMPLE // access logs (issue 15)
  | RATE_LIMIT | PER | BURST | BY | CLIENT_IP // local rate limits (issue 13)
  | GLOBAL | FAIL_OPEN | FAIL_CLOSED // global rate limits (issue 13)
  | COMPRESS | TYPES | MIN_SIZE | MAX_REQUEST_BODY | MAX_REQUEST_HEADERS | IDLE_TIMEOUT
  | STREAM_IDLE_TIMEOUT              // compression, request limits (issue 13)
  | TRACING | TRACE | COLLECTOR // tracing (issue 15)
  | EXT_AUTHZ | PATH_PREFIX | ON_ERROR | SEND_HEADERS | UPSTREAM_HEADERS // ext-authz (issue 12)
  | ERROR_RESPONSE               // custom responses (issue 13)
  | API_KEYS | API_KEY | KEYS | CLIENTS | CLIENT // api keys (issue 12)
  | GRPC_JSON | GRPC_WEB | DESCRIPTOR | SERVICES // gRPC transcoding (issue 13)
  | BASIC_AUTH | USERS | USER     // basic auth (issue 12)
  ;

// ---------------------------------------------------------------- lexer

SERVICE         : 'service' ;
SOURCE          : 'source' ;
STATIC          : 'static' ;
CONSUL          : 'consul' ;
DATACENTER      : 'datacenter' ;
TAG             : 'tag' ;
KUBERNETES      : 'kubernetes' ;
LABELS          : 'labels' ;
PORT            : 'port' ;
PROTOCOL        : 'protocol' ;
SUBSET          : 'subset' ;
WHERE           : 'where' ;
AND             : 'and' ;
GATEWAY         : 'gateway' ;
LISTEN          : 'listen' ;
HOST            : 'host' ;
ROUTE           : 'route' ;
WHEN            : 'when' ;
HEADER          : 'header' ;
QUERY           : 'query' ;
TO              : 'to' ;
REWRITE         : 'rewrite' ;
PREFIX          : 'prefix' ;
TIMEOUT         : 'timeout' ;
RETRY           : 'retry' ;
ON              : 'on' ;
PER_TRY         : 'per-try' ;
SET             : 'set' ;
REMOVE          : 'remove' ;
REQUEST_HEADER  : 'request-header' ;
RESPONSE_HEADER : 'response-header' ;
REDIRECT        : 'redirect' ;
RESPOND         : 'respond' ;
MESH            : 'mesh' ;
TRUST_DOMAIN    : 'trust-domain' ;
MTLS            : 'mtls' ;
AUTHZ           : 'authz' ;
DEFAULT         : 'default' ;
SIDECAR         : 'sidecar' ;
INBOUND         : 'inbound' ;
APP             : 'app' ;
OUTBOUND        : 'outbound' ;
ALLOW           : 'allow' ;
DENY            : 'deny' ;
DRY_RUN         : 'dry-run' ;
CALL            : 'call' ;
TEST            : 'test' ;
EXPECT          : 'expect' ;
VIA             : 'via' ;
WITH            : 'with' ;
JWT             : 'jwt' ;

// tls and cors (issue 12)
TLS                : 'tls' ;
MIN_VERSION        : 'min-version' ;
CIPHERS            : 'ciphers' ;
CLIENT_CERTIFICATE : 'client-certificate' ;
CA                 : 'ca' ;
FILE               : 'file' ;
CERTIFICATE        : 'certificate' ;
KEY                : 'key' ;
BUILT_IN_CA        : 'built-in-ca' ;
CORS               : 'cors' ;
ORIGIN             : 'origin' ;
METHODS            : 'methods' ;
HEADERS            : 'headers' ;
EXPOSE             : 'expose' ;
CREDENTIALS        : 'credentials' ;
MAX_AGE            : 'max-age' ;
// resilience (issues 11, 14): timeouts, retries, faults
BACKEND_TIMEOUT : 'backend-timeout' ;
NONE            : 'none' ;
FAULT           : 'fault' ;
DELAY           : 'delay' ;
ABORT           : 'abort' ;
GRPC            : 'grpc' ;
BACKOFF         : 'backoff' ;
MAX             : 'max' ;
IDEMPOTENT      : 'idempotent' ;
// routing: header add (issue 11)
ADD             : 'add' ;
// routing: mirrors, match alternatives (issue 11)
MIRROR          : 'mirror' ;
OR              : 'or' ;
// cluster settings (issue 14)
CIRCUIT_BREAKER   : 'circuit-breaker' ;
OUTLIER_DETECTION : 'outlier-detection' ;
HEALTH_CHECK      : 'health-check' ;
PANIC_THRESHOLD   : 'panic-threshold' ;
// jwt (issue 12)
JWT_PROVIDER    : 'jwt-provider' ;
// api keys (issue 12)
API_KEYS        : 'api-keys' ;
API_KEY         : 'api-key' ;
KEYS            : 'keys' ;
CLIENTS         : 'clients' ;
CLIENT          : 'client' ;
// basic auth (issue 12)
BASIC_AUTH      : 'basic-auth' ;
USERS           : 'users' ;
KUBERNETES_SECRET : 'kubernetes-secret' ;
USER            : 'user' ;
ISSUER          : 'issuer' ;
AUDIENCES       : 'audiences' ;
JWKS            : 'jwks' ;
CACHE           : 'cache' ;
FROM            : 'from' ;
COOKIE          : 'cookie' ;
CLAIM           : 'claim' ;
CLAIMS          : 'claims' ;
TO_HEADER       : 'to-header' ;
SCOPE           : 'scope' ;
REQUIRE         : 'require' ;
OPTIONAL        : 'optional' ;
// oidc login (issue 12)
OIDC_PROVIDER          : 'oidc-provider' ;
OIDC                   : 'oidc' ;
AUTHORIZATION_ENDPOINT : 'authorization-endpoint' ;
TOKEN_ENDPOINT         : 'token-endpoint' ;
CLIENT_ID              : 'client-id' ;
CLIENT_SECRET          : 'client-secret' ;
COOKIE_SECRET          : 'cookie-secret' ;
REDIRECT_PATH          : 'redirect-path' ;
LOGOUT_PATH            : 'logout-path' ;
SCOPES                 : 'scopes' ;
ENV                    : 'env' ;
// load balancing (issue 14)
HASH_BY         : 'hash-by' ;
HOSTNAME        : 'hostname' ;
TO_ENDPOINT     : 'to-endpoint' ;
TTL             : 'ttl' ;
SOURCE_IP       : 'source-ip' ;
ZONE            : 'zone' ;
LOAD_BALANCER   : 'load-balancer' ;
SLOW_START      : 'slow-start' ;
// routing: redirect/rewrite parts (issue 11)
PATH_WORD       : 'path' ;
// access logs (issue 15)
ACCESS_LOG      : 'access-log' ;
FIELDS          : 'fields' ;
ONLY            : 'only' ;
SAMPLE          : 'sample' ;
// local rate limits (issue 13)
RATE_LIMIT      : 'rate-limit' ;
PER             : 'per' ;
BURST           : 'burst' ;
// global rate limits (issue 13)
GLOBAL          : 'global' ;
FAIL_OPEN       : 'fail-open' ;
FAIL_CLOSED     : 'fail-closed' ;
BY              : 'by' ;
CLIENT_IP       : 'client-ip' ;
// gRPC transcoding (issue 13)
GRPC_JSON           : 'grpc-json' ;
GRPC_WEB            : 'grpc-web' ;
DESCRIPTOR          : 'descriptor' ;
SERVICES            : 'services' ;
// compression, request limits (issue 13)
COMPRESS            : 'compress' ;
TYPES               : 'types' ;
MIN_SIZE            : 'min-size' ;
MAX_REQUEST_BODY    : 'max-request-body' ;
MAX_REQUEST_HEADERS : 'max-request-headers' ;
IDLE_TIMEOUT        : 'idle-timeout' ;
STREAM_IDLE_TIMEOUT : 'stream-idle-timeout' ;
// custom responses (issue 13)
ERROR_RESPONSE      : 'error-response' ;
// tracing (issue 15)
TRACING         : 'tracing' ;
TRACE           : 'trace' ;
COLLECTOR       : 'collector' ;
// external authorization (issue 12)
EXT_AUTHZ        : 'ext-authz' ;
PATH_PREFIX      : 'path-prefix' ;
ON_ERROR         : 'on-error' ;
SEND_HEADERS     : 'send-headers' ;
UPSTREAM_HEADERS : 'upstream-headers' ;

METHOD : 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' ;

LBRACE  : '{' ;
RBRACE  : '}' ;
COMMA   : ',' ;
DOT     : '.' ;
COLON   : ':' ;
ARROW   : '=>' ;
RARROW  : '->' ;
STAR    : '*' ;
EQ      : '=' ;
TILDE   : '~' ;
PERCENT : '%' ;

IPV4       : DIGITS '.' DIGITS '.' DIGITS '.' DIGITS ;
// A number glued to a word: durations (250ms, 2h), wrong units (2w) and retry conditions (5xx).
DIGIT_WORD : DIGITS [a-zA-Z_] [a-zA-Z0-9_-]* ;
INT        : DIGITS ;
IDENT      : [a-zA-Z_] [a-zA-Z0-9_-]* ;
PATH       : '/' [a-zA-Z0-9._~!$&'()*+,;=:@%/-]* ;

STRING : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"' ;
// An unterminated string still parses as a string; the front end reports it (MG103).
UNTERMINATED_STRING : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* -> type(STRING) ;

// Comments stay in the token stream, hidden from the parser: the front end hands them to the
// checker (suppression comments) and the formatter (which keeps them).
COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;
WS      : [ \t\r\n\f]+ -> skip ;

// Anything else: reported by the front end (MG102), invisible to the parser.
ERROR_CHAR : . -> channel(HIDDEN) ;

fragment DIGITS : [0-9]+ ;
