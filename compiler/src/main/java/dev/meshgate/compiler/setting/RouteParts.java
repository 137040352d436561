package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.HeaderMutationIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the settings of one route or call lower to, gathered before the IR records are built. A
 * value set twice keeps the first (the checker reported the repeat), as everywhere else.
 */
public final class RouteParts {
  private List<RouteStmt.Target> targets = List.of();
  private Optional<RouteActionIr> action = Optional.empty();
  private Optional<Duration> timeout = Optional.empty();
  private Optional<RouteActionIr.RetryIr> retry = Optional.empty();
  private Optional<RouteActionIr.PrefixRewriteIr> rewrite = Optional.empty();
  private Optional<Integer> port = Optional.empty();
  private final List<HeaderMutationIr> headerMutations = new ArrayList<>();
  private final List<RouteActionIr.MirrorIr> mirrors = new ArrayList<>();
  private final List<RouteStmt.Target> mirrorTargets = new ArrayList<>();

  /** {@code to}: the targets, resolved to clusters by the lowering (it knows the services). */
  public void targets(List<RouteStmt.Target> targets) {
    this.targets = List.copyOf(targets);
  }

  /** An action answered by the proxy itself: redirect or respond. */
  public void action(RouteActionIr action) {
    this.action = this.action.or(() -> Optional.of(action));
  }

  public void timeout(Optional<Duration> timeout) {
    this.timeout = this.timeout.or(() -> timeout);
  }

  public void retry(RouteActionIr.RetryIr retry) {
    this.retry = this.retry.or(() -> Optional.of(retry));
  }

  public void rewrite(RouteActionIr.PrefixRewriteIr rewrite) {
    this.rewrite = this.rewrite.or(() -> Optional.of(rewrite));
  }

  public void port(int port) {
    this.port = this.port.or(() -> Optional.of(port));
  }

  public void headerMutation(HeaderMutationIr mutation) {
    headerMutations.add(mutation);
  }

  /** {@code mirror}: the target (the lowering makes its cluster) and what Envoy gets. */
  public void mirror(RouteStmt.Target target, RouteActionIr.MirrorIr mirror) {
    mirrorTargets.add(target);
    mirrors.add(mirror);
  }

  public List<RouteActionIr.MirrorIr> mirrors() {
    return List.copyOf(mirrors);
  }

  public List<RouteStmt.Target> mirrorTargets() {
    return List.copyOf(mirrorTargets);
  }

  public List<RouteStmt.Target> targets() {
    return targets;
  }

  public Optional<RouteActionIr> action() {
    return action;
  }

  public Optional<Duration> timeout() {
    return timeout;
  }

  public Optional<RouteActionIr.RetryIr> retry() {
    return retry;
  }

  public Optional<RouteActionIr.PrefixRewriteIr> rewrite() {
    return rewrite;
  }

  public Optional<Integer> port() {
    return port;
  }

  public List<HeaderMutationIr> headerMutations() {
    return List.copyOf(headerMutations);
  }
}
