package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** A statement inside a route block. */
public sealed interface RouteStmt extends Node {

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

  /** {@code timeout 2s}. */
  record Timeout(DurationLit duration, Span span) implements RouteStmt {
    @Override
    public String keyword() {
      return "timeout";
    }
  }

  /** {@code retry N [on c, …] [per-try D]}. */
  record Retry(NumberLit attempts, List<Name> on, Optional<DurationLit> perTry, Span span)
      implements RouteStmt {
    public Retry {
      on = List.copyOf(on);
    }

    @Override
    public String keyword() {
      return "retry";
    }
  }

  /** {@code set request-header "n" = "v"} / {@code remove response-header "n"}. */
  record HeaderChange(
      boolean set, boolean response, StringLit name, Optional<StringLit> value, Span span)
      implements RouteStmt {
    @Override
    public String keyword() {
      return set ? "set" : "remove";
    }
  }

  /** {@code redirect 301 "/new/"}. */
  record Redirect(NumberLit status, StringLit location, Span span) implements RouteStmt {
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

  /** One target of {@code to}: {@code catalog}, {@code catalog.v2 10%}. */
  record Target(Name service, Optional<Name> subset, Optional<NumberLit> weight, Span span)
      implements Node {
    /** The cluster it sends to: {@code catalog} or {@code catalog.v2}. */
    public String cluster() {
      return subset.map(s -> service.text() + "." + s.text()).orElse(service.text());
    }
  }
}
