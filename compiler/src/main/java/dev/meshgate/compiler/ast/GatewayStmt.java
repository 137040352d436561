package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** A statement inside a gateway block. */
public sealed interface GatewayStmt extends Node {

  /** {@code listen [ADDRESS]:PORT [tls … | redirect https [:PORT]]}. */
  record Listen(Optional<Address> address, NumberLit port, Span span, Optional<ListenMode> mode)
      implements GatewayStmt {
    /** A plain HTTP listener. */
    public Listen(Optional<Address> address, NumberLit port, Span span) {
      this(address, port, span, Optional.empty());
    }
  }

  /** What a listener does besides plain HTTP. */
  sealed interface ListenMode extends Node {
    /**
     * {@code tls [min-version 1.2] [ciphers "…", …] [client-certificate [required|optional] ca file
     * "…"]}: TLS termination with the gateway's certificates, picked by SNI.
     */
    record Tls(
        Optional<TlsVersion> minVersion,
        List<StringLit> ciphers,
        Optional<ClientCertificate> clientCertificate,
        Span span)
        implements ListenMode {
      public Tls {
        ciphers = List.copyOf(ciphers);
      }
    }

    /** {@code redirect https [:PORT]}: every request is answered with a redirect to HTTPS. */
    record Redirect(Name scheme, Optional<NumberLit> port, Span span) implements ListenMode {}
  }

  /** {@code 1.2}, as written. */
  record TlsVersion(String text, Span span) implements Node {}

  /** {@code client-certificate [required|optional] ca file "…"}. */
  record ClientCertificate(Optional<Name> mode, StringLit caFile, Span span) implements Node {}

  /**
   * {@code certificate "api.example", "*.example" file "chain.pem" key file "key.pem"} or {@code
   * certificate "localhost" built-in-ca}: the certificate the gateway's TLS listeners present to
   * clients asking (SNI) for one of these names; {@code "*"} is the one for every other client.
   */
  record Certificate(List<StringLit> serverNames, CertificateSource source, Span span)
      implements GatewayStmt {
    public Certificate {
      serverNames = List.copyOf(serverNames);
    }
  }

  /**
   * {@code zone "eu-1a"}: the zone this gateway (or, inside {@code sidecar { … }}, the service's
   * sidecars) runs in; endpoints in it are preferred, the others take over when it has none
   * healthy.
   */
  record Zone(StringLit zone, Span span) implements GatewayStmt {}

  /** access logs (issue 15): {@code access-log …} on the gateway: every listener logs so. */
  record AccessLog(AccessLogSpec spec) implements GatewayStmt {
    @Override
    public Span span() {
      return spec.span();
    }
  }

  /**
   * request limits (issue 13): {@code max-request-headers 64kb}, {@code idle-timeout 1h}, {@code
   * stream-idle-timeout 5m} (a timeout may be {@code none}): what every connection to the gateway's
   * listeners may hold. {@code size} is set for the size kind, {@code duration} for the timeouts.
   */
  record Limit(Kind kind, Optional<SizeLit> size, Optional<DurationLit> duration, Span span)
      implements GatewayStmt {
    /** Which limit. */
    public enum Kind {
      MAX_REQUEST_HEADERS("max-request-headers"),
      IDLE_TIMEOUT("idle-timeout"),
      STREAM_IDLE_TIMEOUT("stream-idle-timeout");

      private final String keyword;

      Kind(String keyword) {
        this.keyword = keyword;
      }

      public String keyword() {
        return keyword;
      }
    }
  }

  /** Where a certificate and its key come from. */
  sealed interface CertificateSource extends Node {
    /** PEM files the operator keeps (and renews); the server watches them. */
    record Files(StringLit chain, StringLit key, Span span) implements CertificateSource {}

    /** Issued by the built-in CA, for development: clients must trust the mesh CA. */
    record BuiltInCa(Span span) implements CertificateSource {}
  }

  /**
   * {@code host "NAME"[, "NAME"…] { route … }}: {@code host} is the first domain, {@code
   * moreDomains} the others (one virtual host answers them all); {@code settings} are the route
   * statements written on the host itself, the defaults for its routes.
   */
  record Host(
      StringLit host,
      List<RouteDecl> routes,
      Span span,
      List<StringLit> moreDomains,
      List<RouteStmt> settings)
      implements GatewayStmt {
    public Host {
      routes = List.copyOf(routes);
      moreDomains = List.copyOf(moreDomains);
      settings = List.copyOf(settings);
    }

    public Host(StringLit host, List<RouteDecl> routes, Span span) {
      this(host, routes, span, List.of(), List.of());
    }

    /** Every domain, first the one the virtual host is named after. */
    public List<StringLit> domains() {
      List<StringLit> all = new java.util.ArrayList<>(1 + moreDomains.size());
      all.add(host);
      all.addAll(moreDomains);
      return List.copyOf(all);
    }
  }

  /** A route statement written on the gateway itself: the default for every route of its hosts. */
  record RouteSetting(RouteStmt stmt) implements GatewayStmt {
    @Override
    public Span span() {
      return stmt.span();
    }
  }

  /**
   * jwt (issue 12): {@code jwt-provider "name" { issuer "…" audiences "…" jwks "https://…" [cache
   * 10m] | jwks file "…" from header "…" [prefix "…"] | from query "…" | from cookie "…" claim "…"
   * to-header "…" }}: who issues the tokens a route may require, and where they are read from.
   */
  record JwtProvider(StringLit name, List<JwtField> fields, Span span) implements GatewayStmt {
    public JwtProvider {
      fields = List.copyOf(fields);
    }

    /** The fields of one kind, in order. */
    public <T extends JwtField> List<T> all(Class<T> kind) {
      return fields.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
  }

  /** One field of a {@code jwt-provider}. */
  sealed interface JwtField extends Node {
    record Issuer(StringLit issuer, Span span) implements JwtField {}

    record Audiences(List<StringLit> audiences, Span span) implements JwtField {
      public Audiences {
        audiences = List.copyOf(audiences);
      }
    }

    /** {@code jwks "https://…" [cache 10m]}: fetched by Envoy and cached. */
    record RemoteJwks(StringLit url, Optional<DurationLit> cache, Span span) implements JwtField {}

    /** {@code jwks file "…"}: a JWKS file on the proxy's host. */
    record LocalJwks(StringLit file, Span span) implements JwtField {}

    /** {@code from header "authorization" [prefix "Bearer "]}. */
    record FromHeader(StringLit header, Optional<StringLit> prefix, Span span)
        implements JwtField {}

    record FromQuery(StringLit parameter, Span span) implements JwtField {}

    record FromCookie(StringLit cookie, Span span) implements JwtField {}

    /** {@code claim "sub" to-header "x-user"}. */
    record ClaimToHeader(StringLit claim, StringLit header, Span span) implements JwtField {}
  }

  /**
   * api keys (issue 12): {@code api-keys "name" { keys file "/etc/…" from header "x-api-key" }}:
   * the file that holds the keys (read by the server, never by the compiler) and where a request
   * carries its key.
   */
  record ApiKeys(StringLit name, List<ApiKeyField> fields, Span span) implements GatewayStmt {
    public ApiKeys {
      fields = List.copyOf(fields);
    }

    /** The fields of one kind, in order. */
    public <T extends ApiKeyField> List<T> all(Class<T> kind) {
      return fields.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
  }

  /** One field of an {@code api-keys} block. */
  sealed interface ApiKeyField extends Node {
    /** {@code keys file "/etc/meshgate/partners.keys"}. */
    /**
     * {@code keys file "/etc/meshgate/partners.keys"}, or with {@code kubernetesSecret} {@code keys
     * kubernetes-secret "ns/name"} ({@code file} then holds the reference): where the server reads
     * the keys.
     */
    record KeysFile(StringLit file, boolean kubernetesSecret, Span span) implements ApiKeyField {
      public KeysFile(StringLit file, Span span) {
        this(file, false, span);
      }
    }

    /** {@code keys "…"}: a key written in the policy; parsed only to be refused (MG682). */
    record KeysLiteral(StringLit value, Span span) implements ApiKeyField {}

    /** Where requests carry their key. */
    enum Place {
      HEADER,
      QUERY,
      COOKIE
    }

    /** {@code from header "x-api-key"}, {@code from query "key"}, {@code from cookie "key"}. */
    record From(Place place, StringLit name, Span span) implements ApiKeyField {}
  }

  /**
   * oidc login (issue 12): {@code oidc-provider "name" { authorization-endpoint "…" token-endpoint
   * "…" client-id "…" client-secret file "…" | env "…" … }}: where browsers log in for routes that
   * {@code require oidc "name"}. The fields are in {@link OidcField}.
   */
  record OidcProvider(StringLit name, List<OidcField> fields, Span span) implements GatewayStmt {
    public OidcProvider {
      fields = List.copyOf(fields);
    }

    /** The fields of one kind, in order. */
    public <T extends OidcField> List<T> all(Class<T> kind) {
      return fields.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
  }

  /**
   * basic auth (issue 12): {@code basic-auth "name" { users file "/etc/….htpasswd" }}: the htpasswd
   * file that holds the users and their password hashes (read by the server; the compiler only
   * looks into it, when it can, to check user names).
   */
  record BasicAuth(StringLit name, List<BasicAuthField> fields, Span span) implements GatewayStmt {
    public BasicAuth {
      fields = List.copyOf(fields);
    }

    /** The fields of one kind, in order. */
    public <T extends BasicAuthField> List<T> all(Class<T> kind) {
      return fields.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
  }

  /** One field of a {@code basic-auth} block. */
  sealed interface BasicAuthField extends Node {
    /** {@code users file "/etc/meshgate/admins.htpasswd"}. */
    /** Or, with {@code kubernetesSecret}, {@code users kubernetes-secret "ns/name"}. */
    record UsersFile(StringLit file, boolean kubernetesSecret, Span span)
        implements BasicAuthField {
      public UsersFile(StringLit file, Span span) {
        this(file, false, span);
      }
    }

    /** {@code users "…"}: credentials written in the policy; parsed only to be refused (MG622). */
    record UsersLiteral(StringLit value, Span span) implements BasicAuthField {}
  }

  /** tracing (issue 15): the gateway's {@code tracing { … }} block. */
  record TracingSetting(Tracing tracing) implements GatewayStmt {
    @Override
    public Span span() {
      return tracing.span();
    }
  }

  /**
   * global rate limits (issue 13): {@code rate-limit service "HOST:PORT" [timeout 100ms] [fail-open
   * | fail-closed]}: the Envoy rate-limit service (gRPC) the gateway's Envoys ask about its {@code
   * global} limits; {@code failure} is what happens when it cannot answer in time.
   */
  record RateLimitService(
      StringLit address, Optional<DurationLit> timeout, Optional<Failure> failure, Span span)
      implements GatewayStmt {
    /** {@code fail-open}: let the request through; {@code fail-closed}: refuse it. */
    public enum Failure {
      OPEN,
      CLOSED
    }
  }

  /**
   * external authorization (issue 12): {@code ext-authz "name" { grpc "HOST:PORT" | http
   * "HOST:PORT" [path-prefix "/p"] timeout 200ms on-error allow|deny send-headers "h", …
   * upstream-headers "h", … }}: a service that decides each request of the routes requiring it.
   */
  record ExtAuthz(StringLit name, List<ExtAuthzField> fields, Span span) implements GatewayStmt {
    public ExtAuthz {
      fields = List.copyOf(fields);
    }

    /** The fields of one kind, in order. */
    public <T extends ExtAuthzField> List<T> all(Class<T> kind) {
      return fields.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
  }

  /** One field of an {@code ext-authz} block. */
  sealed interface ExtAuthzField extends Node {
    /**
     * {@code grpc "HOST:PORT"} or {@code http "HOST:PORT" [path-prefix "/p"]}: {@code kind} is the
     * word as written (the checker knows grpc and http).
     */
    record Service(Name kind, StringLit address, Optional<StringLit> pathPrefix, Span span)
        implements ExtAuthzField {}

    /** {@code timeout 200ms}: how long a request waits for the decision. */
    record Timeout(DurationLit timeout, Span span) implements ExtAuthzField {}

    /** {@code on-error allow|deny}: the decision when the service fails or times out. */
    record OnError(boolean allow, Span span) implements ExtAuthzField {}

    /** {@code send-headers "x-user", …}: the request headers the service is sent. */
    record SendHeaders(List<StringLit> headers, Span span) implements ExtAuthzField {
      public SendHeaders {
        headers = List.copyOf(headers);
      }
    }

    /** {@code upstream-headers "x-user-id", …}: headers of an http service's OK that go on. */
    record UpstreamHeaders(List<StringLit> headers, Span span) implements ExtAuthzField {
      public UpstreamHeaders {
        headers = List.copyOf(headers);
      }
    }
  }

  /** An IPv4 address as written. */
  record Address(String text, Span span) implements Node {}
}
