package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** A statement inside a route block. */
public sealed interface RouteStmt extends Node
    permits RouteStmt.To,
        RouteStmt.Rewrite,
        RouteStmt.PathRewrite,
        RouteStmt.HostRewriteToEndpoint,
        RouteStmt.HostRewrite,
        RouteStmt.Timeout,
        RouteStmt.BackendTimeout,
        RouteStmt.Fault,
        RouteStmt.Retry,
        RouteStmt.HeaderChange,
        RouteStmt.Redirect,
        RouteStmt.RedirectTo,
        RouteStmt.Respond,
        RouteStmt.Port,
        RouteStmt.Mirror,
        RouteStmt.HashBy,
        RouteStmt.Cors,
        RouteStmt.Compress,
        RouteStmt.GrpcJson,
        RouteStmt.GrpcWeb,
        RouteStmt.ErrorResponse,
        RouteStmt.MaxRequestBody,
        RouteStmt.TraceSample,
        RouteStmt.RateLimit,
        RouteStmt.ClusterSetting,
        RouteAuth {

  /** The statement's keyword, for messages. */
  String keyword();

  /** {@code to svc[.subset] [N%], …}. */
  record To(List<Target> targets, Span span) implements RouteStmt {
    public To {
      targets = List.copyOf(targets);
    }

    @Override
    public String keyword() {
      return "to";
    }
  }

  /** {@code rewrite prefix "from" => "to"}. */
  record Rewrite(StringLit from, StringLit to, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "rewrite";
    }
  }

  /**
   * {@code rewrite prefix "/"} (the prefix the route matched) or {@code rewrite path "/x"} (the
   * whole path) before forwarding.
   */
  record PathRewrite(boolean wholePath, StringLit value, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "rewrite";
    }
  }

  /**
   * {@code rewrite host to-endpoint}: the upstream gets the hostname of the endpoint Envoy picked
   * (EDS {@code Endpoint.hostname}) as Host.
   */
  record HostRewriteToEndpoint(Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "rewrite host";
    }
  }

  /** {@code rewrite host "api.internal"}: the Host header the upstream gets. */
  record HostRewrite(StringLit host, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "rewrite host";
    }
  }

  /**
   * {@code timeout 2s}, or {@code timeout none} (no limit), written as a duration whose text is
   * {@link #NONE}: the duration's value is then empty and {@link #unlimited} true.
   */
  record Timeout(DurationLit duration, Span span) implements RouteStmt {
    public static final String NONE = "none";

    /** {@code timeout none}: the request may take as long as it takes. */
    public boolean unlimited() {
      return duration.text().equals(NONE);
    }

    @Override
    public String keyword() {
      return "timeout";
    }
  }

  /** {@code backend-timeout 2s}: each attempt's limit (Envoy's per-try timeout). */
  record BackendTimeout(DurationLit duration, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "backend-timeout";
    }
  }

  /**
   * {@code fault delay 2s 10% [when header "h"]} or {@code fault abort [grpc] 503 10% [when header
   * "h"]}: injected into that share of requests (all when no share is written).
   */
  record Fault(
      Kind kind,
      Optional<DurationLit> delay,
      Optional<NumberLit> status,
      boolean grpc,
      Optional<NumberLit> percent,
      Optional<StringLit> header,
      Span span)
      implements RouteStmt {
    public enum Kind {
      DELAY,
      ABORT
    }

    @Override
    public String keyword() {
      return kind == Kind.DELAY ? "fault delay" : "fault abort";
    }
  }

  /**
   * {@code retry N [on c, …] [per-try D] [backoff B [max M]] [idempotent]}; {@code idempotent} says
   * retrying a POST or PATCH is safe.
   */
  record Retry(
      NumberLit attempts,
      List<Name> on,
      Optional<DurationLit> perTry,
      Span span,
      Optional<DurationLit> backoff,
      Optional<DurationLit> backoffMax,
      boolean idempotent)
      implements RouteStmt {
    public Retry {
      on = List.copyOf(on);
    }

    public Retry(NumberLit attempts, List<Name> on, Optional<DurationLit> perTry, Span span) {
      this(attempts, on, perTry, span, Optional.empty(), Optional.empty(), false);
    }

    @Override
    public String keyword() {
      return "retry";
    }
  }

  /**
   * {@code set request-header "n" = "v"}, {@code add request-header "n" = "v"} / {@code remove
   * response-header "n"}.
   */
  record HeaderChange(
      HeaderOp op, boolean response, StringLit name, Optional<StringLit> value, Span span)
      implements RouteStmt {
    @Override
    public String keyword() {
      return op.keyword();
    }
  }

  /** What a header change does: overwrite, append a value, or drop the header. */
  enum HeaderOp {
    SET,
    ADD,
    REMOVE;

    public String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code redirect 301 "/new/"}. */
  record Redirect(NumberLit status, StringLit location, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "redirect";
    }
  }

  /**
   * {@code redirect [STATUS] PART…} ({@code redirect 301 https host "b.example" prefix "/new/"}):
   * only the parts written change; the status defaults to 302.
   */
  record RedirectTo(Optional<NumberLit> status, List<RedirectPart> parts, Span span)
      implements RouteStmt {
    public RedirectTo {
      parts = List.copyOf(parts);
    }

    @Override
    public String keyword() {
      return "redirect";
    }
  }

  /** {@code respond 200 ["body"]}. */
  record Respond(NumberLit status, Optional<StringLit> body, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "respond";
    }
  }

  /**
   * {@code port 15432}: only in a {@code call} towards a {@code tcp} service, the local port on the
   * caller's outbound address where its app connects to reach the callee. Never in a route.
   */
  record Port(NumberLit port, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "port";
    }
  }

  /**
   * {@code mirror svc[.subset] [N%]}: a copy of a share of the requests (all by default) goes to
   * the target too; its responses are dropped. In a route or a call; may be written several times.
   */
  record Mirror(Target target, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "mirror";
    }
  }

  /**
   * {@code hash-by header "x-user"}, {@code hash-by cookie "sticky" [ttl 1h]} or {@code hash-by
   * source-ip}: what a hashing load balancer (ring-hash, maglev) hashes, so one user keeps reaching
   * one endpoint. {@code name} is the header's or the cookie's; {@code ttl} only for a cookie
   * (Envoy then sets the cookie when the client has none). May be written several times: the first
   * that yields a value counts.
   */
  record HashBy(Kind kind, Optional<StringLit> name, Optional<DurationLit> ttl, Span span)
      implements RouteStmt {
    public enum Kind {
      HEADER,
      COOKIE,
      SOURCE_IP
    }

    @Override
    public String keyword() {
      return "hash-by";
    }
  }

  /**
   * {@code cors { origin "…" origin ~ "regex" methods GET, POST headers "…" expose "…" credentials
   * max-age 10m }}: which browser origins may call, answered by Envoy (preflights never reach the
   * upstream).
   */
  record Cors(
      List<CorsOrigin> origins,
      List<Name> methods,
      List<StringLit> headers,
      List<StringLit> exposeHeaders,
      Optional<Span> credentials,
      Optional<DurationLit> maxAge,
      Span span)
      implements RouteStmt {
    public Cors {
      origins = List.copyOf(origins);
      methods = List.copyOf(methods);
      headers = List.copyOf(headers);
      exposeHeaders = List.copyOf(exposeHeaders);
    }

    @Override
    public String keyword() {
      return "cors";
    }
  }

  /**
   * compression (issue 13): {@code compress gzip, brotli [types "…", …] [min-size 1kb]}: responses
   * of these types and at least this size are compressed with the first algorithm the client
   * accepts, in the order written; {@code compress off} (the only word) turns compression off for a
   * host or route whose gateway or host compresses.
   */
  record Compress(
      List<Name> algorithms, List<StringLit> types, Optional<SizeLit> minSize, Span span)
      implements RouteStmt {
    public Compress {
      algorithms = List.copyOf(algorithms);
      types = List.copyOf(types);
    }

    /** Whether this is {@code compress off}. */
    public boolean off() {
      return algorithms.size() == 1 && algorithms.getFirst().text().equals("off");
    }

    @Override
    public String keyword() {
      return "compress";
    }
  }

  /**
   * gRPC transcoding (issue 13): {@code grpc-json descriptor "protos/bookstore.pb" services
   * "bookstore.Bookstore" [option …]}: JSON requests to the route are turned into calls of the
   * named gRPC services, described by a binary descriptor set read when the policy compiles.
   *
   * @param descriptor the descriptor set's path as written, relative to the policy file
   * @param options plain words such as {@code preserve-field-names} (the checker knows them)
   */
  record GrpcJson(StringLit descriptor, List<StringLit> services, List<Name> options, Span span)
      implements RouteStmt {
    public GrpcJson {
      services = List.copyOf(services);
      options = List.copyOf(options);
    }

    @Override
    public String keyword() {
      return "grpc-json";
    }
  }

  /**
   * gRPC-Web (issue 13): {@code grpc-web}: browser clients' gRPC-Web requests to the route are
   * turned into gRPC, and the answers back into gRPC-Web.
   */
  record GrpcWeb(Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "grpc-web";
    }
  }

  /**
   * custom responses (issue 13): {@code error-response 5xx, 404 json "{…}"} or {@code
   * error-response 5xx html file "errors/5xx.html"}: responses of these statuses get this body
   * instead. {@code error-response off} ({@code statuses} empty, {@code format} "off"): none
   * inherited here.
   *
   * @param statuses as written: {@code 404}, {@code 5xx}
   * @param format {@code json}, {@code html} or {@code text} (the checker judges it)
   * @param body the body written inline, or the file that holds it
   */
  record ErrorResponse(List<Name> statuses, Name format, Optional<Body> body, Span span)
      implements RouteStmt {
    public ErrorResponse {
      statuses = List.copyOf(statuses);
    }

    /** The body: inline text, or a file read at compile time (relative to the policy file). */
    public record Body(StringLit text, boolean file) {}

    /** Whether this is {@code error-response off}. */
    public boolean off() {
      return statuses.isEmpty();
    }

    @Override
    public String keyword() {
      return "error-response";
    }
  }

  /**
   * request limits (issue 13): {@code max-request-body 1mb}: a request whose body is larger is
   * answered 413; Envoy buffers the whole body to know (its buffer filter). {@code max-request-body
   * none} (size empty): no limit here, whatever the host or gateway says.
   */
  record MaxRequestBody(Optional<SizeLit> size, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "max-request-body";
    }
  }

  /**
   * One allowed origin: exact ({@code "https://app.example"}), with a {@code *} wildcard ({@code
   * "https://*.example"}, or {@code "*"} for any), or a regex ({@code ~ "…"}).
   */
  record CorsOrigin(StringLit value, boolean regex, Span span) implements Node {}

  /**
   * tracing (issue 15): {@code trace sample 100%}: the share of this route's (or call's) requests
   * the proxy traces, instead of its {@code tracing} block's {@code sample}.
   */
  record TraceSample(NumberLit percent, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "trace sample";
    }
  }

  /**
   * local rate limits (issue 13): {@code rate-limit 100 per 1m [burst 150] [global] [by client-ip |
   * by header "h" | by jwt claim "c"] [dry-run]}: a token bucket of {@code burst} tokens (the rate
   * when not written) refilled with {@code rate} tokens every {@code interval}; {@code key} gives
   * each distinct value its own bucket.
   */
  record RateLimit(
      NumberLit rate,
      DurationLit interval,
      Optional<NumberLit> burst,
      Optional<RateLimitKey> key,
      boolean dryRun,
      Span span,
      Optional<Span> global)
      implements RouteStmt {
    /** A local limit (each Envoy its own buckets). */
    public RateLimit(
        NumberLit rate,
        DurationLit interval,
        Optional<NumberLit> burst,
        Optional<RateLimitKey> key,
        boolean dryRun,
        Span span) {
      this(rate, interval, burst, key, dryRun, span, Optional.empty());
    }

    /**
     * global rate limits (issue 13): the word {@code global} was written (its span): one budget for
     * every Envoy of the gateway, kept by Envoy's rate-limit service.
     */
    public boolean isGlobal() {
      return global.isPresent();
    }

    @Override
    public String keyword() {
      return "rate-limit";
    }
  }

  /** One target of {@code to}: {@code catalog}, {@code catalog.v2 10%}. */
  record Target(Name service, Optional<Name> subset, Optional<NumberLit> weight, Span span)
      implements Node {
    /** The cluster it sends to: {@code catalog} or {@code catalog.v2}. */
    public String cluster() {
      return subset.map(s -> service.text() + "." + s.text()).orElse(service.text());
    }
  }

  /**
   * A cluster setting written on a route, host or gateway (issue 14): parsed so the checker can say
   * where it belongs (MG382); a gateway's cluster is shared by all of its routes.
   */
  record ClusterSetting(ClusterStmt stmt) implements RouteStmt {
    @Override
    public Span span() {
      return stmt.span();
    }

    @Override
    public String keyword() {
      return stmt.keyword();
    }
  }
}
