package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Set;

/**
 * One setting of the policy language, as a unit: the statement it handles, where it may be written,
 * its checks and its lowering. New settings (CORS, JWT requirements, rate limits, circuit breakers,
 * …) implement this and join {@link Settings#ALL}; the checker and the lowering loop over that list
 * and never name a setting, so adding one touches no central switch. See CONTRIBUTING.md, "Adding a
 * feature".
 *
 * @param <S> the statement's AST node
 */
public interface Setting<S extends RouteStmt> {

  /** What a setting is to the route or call it sits in. */
  enum Role {
    /** What happens to the request ({@code to}, {@code redirect}, {@code respond}): exactly one. */
    ACTION,
    /** Only meaningful when the request is forwarded with {@code to}; at most once. */
    FORWARDING,
    /** A value the body may hold once ({@code port}). */
    ONCE,
    /** May be written any number of times (header changes). */
    REPEATABLE
  }

  /** The AST node this unit handles. */
  Class<S> node();

  /** Where it may be written; the most specific place wins (see {@link Attachment}). */
  Set<Attachment> attachments();

  Role role();

  /**
   * Whether it configures HTTP requests, and so means nothing towards a {@code protocol tcp}
   * service (the sidecar only relays the connection there).
   */
  default boolean httpOnly() {
    return true;
  }

  /** Checks one statement; the repeat and action rules of {@link #role} are checked for it. */
  void check(S stmt, SettingChecks checks);

  /** Lowers one checked statement into the parts of a route. */
  void lower(S stmt, RouteParts parts);
}
