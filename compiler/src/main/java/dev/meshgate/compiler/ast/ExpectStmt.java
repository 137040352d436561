package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/**
 * {@code expect REQUEST [with header|query|jwt …] => OUTCOME [with request-header|response-header
 * …]}: one expectation of a {@link TestDecl}. {@code span} covers the whole statement (its first
 * line). local rate limits (issue 13): {@code expect burst N …} sends N such requests at once
 * ({@code burst}); the outcome and checks are the last one's.
 */
public record ExpectStmt(
    Request request,
    List<Option> options,
    Outcome outcome,
    List<HeaderCheck> checks,
    Optional<NumberLit> burst,
    Span span)
    implements Node {
  public ExpectStmt {
    options = List.copyOf(options);
    checks = List.copyOf(checks);
  }

  public ExpectStmt(
      Request request, List<Option> options, Outcome outcome, List<HeaderCheck> checks, Span span) {
    this(request, options, outcome, checks, Optional.empty(), span);
  }

  /** What is sent: through a gateway, or from one mesh service to another. */
  public sealed interface Request extends Node {
    Optional<Name> method();

    RouteDecl.PathPattern.Literal path();

    /** {@code [METHOD] HOST/PATH via GATEWAY}; no method means GET. */
    record Gateway(
        Optional<Name> method,
        Host host,
        RouteDecl.PathPattern.Literal path,
        Name gateway,
        Span span)
        implements Request {}

    /**
     * {@code CALLER -> CALLEE [METHOD] PATH}: judged by the callee's inbound authorization. Towards
     * a {@code tcp} service the request is a connection, written without method and path ({@code
     * expect orders -> db => allowed}); then {@code pathWritten} is false and {@code path} is a
     * stand-in "/" at the callee.
     */
    record Call(
        Name caller,
        Name callee,
        Optional<Name> method,
        RouteDecl.PathPattern.Literal path,
        boolean pathWritten,
        Span span)
        implements Request {
      public Call(
          Name caller,
          Name callee,
          Optional<Name> method,
          RouteDecl.PathPattern.Literal path,
          Span span) {
        this(caller, callee, method, path, true, span);
      }
    }
  }

  /** The request's host: a bare name like {@code api.shop.example} or a quoted string. */
  public record Host(String text, boolean quoted, Span span) implements Node {}

  /** A property of the request. */
  public sealed interface Option extends Node {
    /** {@code with header "name" = "value"}. */
    record Header(StringLit name, StringLit value, Span span) implements Option {}

    /** {@code with query "name" = "value"}. */
    record Query(StringLit name, StringLit value, Span span) implements Option {}

    /**
     * {@code with jwt [claims { "role" = "admin", … }]}: the request carries a valid JWT (from any
     * provider a route requires) with these claims.
     */
    record Jwt(List<Claim> claims, Span span) implements Option {
      public Jwt {
        claims = List.copyOf(claims);
      }

      public Jwt(Span span) {
        this(List.of(), span);
      }
    }

    /**
     * api keys (issue 12): {@code with api-key client "acme"}: the request carries a valid key of
     * client {@code acme} (of whichever provider the route requires; keys are never in a policy).
     */
    record ApiKey(StringLit client, Span span) implements Option {}

    /**
     * basic auth (issue 12): {@code with basic-auth user "alice"}: the request carries the right
     * password of user {@code alice} (passwords are never in a policy, so the test names the user).
     */
    record BasicAuth(StringLit user, Span span) implements Option {}

    /** {@code "role" = "admin"} in {@code with jwt claims { … }}. */
    record Claim(StringLit name, StringLit value, Span span) implements Node {}
  }

  /** What must happen. */
  public sealed interface Outcome extends Node {
    /**
     * {@code svc[.subset] [W%], …}: forwarded, split as given (a single target needs no weight).
     */
    record Targets(List<RouteStmt.Target> targets, Span span) implements Outcome {
      public Targets {
        targets = List.copyOf(targets);
      }
    }

    /** {@code 404}: the proxy answers with this status itself (respond, no route, 403 denied). */
    record Status(NumberLit status, Span span) implements Outcome {}

    /**
     * {@code fault 503}: the route's fault filter aborts the request with this status before it
     * goes upstream (an abort that applies to every request the expectation sends).
     */
    record Fault(NumberLit status, Span span) implements Outcome {}

    /** {@code redirect 301 "/new/"}. */
    record Redirect(NumberLit status, StringLit location, Span span) implements Outcome {}

    /** {@code allowed} or {@code denied}: the verdict of an east-west call's authorization. */
    record Verdict(Name word, Span span) implements Outcome {
      public boolean allowed() {
        return word.text().equals("allowed");
      }
    }
  }

  /**
   * {@code with request-header "n" = "v"} (what the upstream gets) or {@code with response-header
   * …} (the client).
   */
  public record HeaderCheck(boolean response, StringLit name, StringLit value, Span span)
      implements Node {}
}
