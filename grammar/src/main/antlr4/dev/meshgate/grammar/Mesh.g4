// Meshgate policy language, v1. See docs/language.md for what each construct means.
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
  ;

// ---------------------------------------------------------------- services

serviceDecl : SERVICE name serviceBody ;

serviceBody : '{' serviceStmt* '}' ;

serviceStmt
  : sourceStmt
  | protocolStmt
  | subsetStmt
  ;

sourceStmt : SOURCE sourceKind ;

sourceKind
  : STATIC endpoint (',' endpoint)*          # staticSource
  | CONSUL string                            # consulSource
  | KUBERNETES string (PORT name)?           # kubernetesSource
  ;

endpoint : endpointHost ':' portNumber (LABELS label+)? ;

endpointHost
  : IPV4
  | name ('.' name)*
  ;

label : labelKey '=' labelValue ;

labelKey : name | string ;

labelValue : name | INT | DIGIT_WORD | string ;

protocolStmt : PROTOCOL name ;

subsetStmt : SUBSET name WHERE selector (AND selector)* ;

selector : labelKey '=' string ;

// ---------------------------------------------------------------- gateways

gatewayDecl : GATEWAY name gatewayBody ;

gatewayBody : '{' gatewayStmt* '}' ;

gatewayStmt
  : listenStmt
  | hostDecl
  ;

listenStmt : LISTEN IPV4? ':' portNumber ;

hostDecl : HOST string hostBody ;

hostBody : '{' routeDecl* '}' ;

routeDecl : ROUTE METHOD* pathMatch conditions? routeBody ;

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
  | TIMEOUT duration                                                                 # timeoutStmt
  | RETRY retryAttempts (ON retryCondition (',' retryCondition)*)? (PER_TRY duration)? # retryStmt
  | SET headerDirection string '=' string                                            # setHeaderStmt
  | REMOVE headerDirection string                                                    # removeHeaderStmt
  | REDIRECT statusCode string                                                       # redirectStmt
  | RESPOND statusCode string?                                                       # respondStmt
  ;

target : name ('.' name)? weight? ;

weight : INT '%' ;

retryAttempts : INT ;

retryCondition : name | DIGIT_WORD | INT ;

headerDirection : REQUEST_HEADER | RESPONSE_HEADER ;

// ---------------------------------------------------------------- values

duration : DIGIT_WORD ;

statusCode : INT ;

portNumber : INT ;

string : STRING ;

// Any identifier, keywords included: keywords are only reserved where a statement starts.
name
  : IDENT
  | SERVICE | SOURCE | STATIC | CONSUL | KUBERNETES | LABELS | PORT | PROTOCOL | SUBSET | WHERE
  | AND | GATEWAY | LISTEN | HOST | ROUTE | WHEN | HEADER | QUERY | TO | REWRITE | PREFIX
  | TIMEOUT | RETRY | ON | PER_TRY | SET | REMOVE | REQUEST_HEADER | RESPONSE_HEADER
  | REDIRECT | RESPOND
  ;

// ---------------------------------------------------------------- lexer

SERVICE         : 'service' ;
SOURCE          : 'source' ;
STATIC          : 'static' ;
CONSUL          : 'consul' ;
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

METHOD : 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' ;

LBRACE  : '{' ;
RBRACE  : '}' ;
COMMA   : ',' ;
DOT     : '.' ;
COLON   : ':' ;
ARROW   : '=>' ;
EQ      : '=' ;
TILDE   : '~' ;
PERCENT : '%' ;

IPV4       : DIGITS '.' DIGITS '.' DIGITS '.' DIGITS ;
// A number glued to a word: durations (250ms), wrong units (2h) and retry conditions (5xx).
DIGIT_WORD : DIGITS [a-zA-Z_] [a-zA-Z0-9_-]* ;
INT        : DIGITS ;
IDENT      : [a-zA-Z_] [a-zA-Z0-9_-]* ;
PATH       : '/' [a-zA-Z0-9._~!$&'()*+,;=:@%/-]* ;

STRING : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* '"' ;
// An unterminated string still parses as a string; the front end reports it (MG103).
UNTERMINATED_STRING : '"' ( ~["\\\r\n] | '\\' ~[\r\n] )* -> type(STRING) ;

COMMENT : '#' ~[\r\n]* -> skip ;
WS      : [ \t\r\n\f]+ -> skip ;

// Anything else: reported by the front end (MG102), invisible to the parser.
ERROR_CHAR : . -> channel(HIDDEN) ;

fragment DIGITS : [0-9]+ ;
