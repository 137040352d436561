package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;

/**
 * One cluster setting written on a service (issue 14): its statement, checks and lowering; the
 * cluster-level twin of {@link Setting}. Units join {@link ClusterSettings#ALL}; the checker and
 * the lowering loop over that list. Each statement may be written once per service (the checker
 * reports a repeat; the first counts).
 *
 * @param <S> the statement's AST node
 */
public interface ClusterSetting<S extends ClusterStmt> {

  /** The AST node this unit handles. */
  Class<S> node();

  /** Checks one statement. */
  void check(S stmt, ClusterChecks checks);

  /** Lowers one checked statement into the service's cluster parts. */
  void lower(S stmt, ClusterParts parts);
}
