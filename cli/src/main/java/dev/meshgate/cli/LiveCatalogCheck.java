package dev.meshgate.cli;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.ir.SubsetIr;
import dev.meshgate.compiler.parse.PolicyParser;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Subscription;
import dev.meshgate.discovery.consul.ConsulCatalog;
import dev.meshgate.xds.ServiceQueries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code meshgate check --catalog …}: compares what the policy expects from a live catalog with
 * what the catalog has now, as warnings (the catalog moves; a service may register after the policy
 * is deployed):
 *
 * <ul>
 *   <li>MG601: a service's source names something with no (passing/ready) instance;
 *   <li>MG602: a subset's selector matches none of the service's instances;
 *   <li>MG603: the catalog refuses the source (for example a Kubernetes port the Service does not
 *       have).
 * </ul>
 *
 * Spans come from the parsed files: the service's {@code source} statement and the {@code subset}
 * statement. A catalog that cannot be reached at all is a failure, not a diagnostic.
 */
final class LiveCatalogCheck {
  static final String NO_INSTANCES = "MG601";
  static final String SUBSET_SELECTS_NOTHING = "MG602";
  static final String SOURCE_REFUSED = "MG603";

  private LiveCatalogCheck() {}

  /** What the catalog answered for one service: endpoints, or an error. */
  sealed interface Answer {
    record Endpoints(List<Endpoint> endpoints) implements Answer {}

    record Refused(Throwable error) implements Answer {}
  }

  static List<Diagnostic> check(
      List<Source> sources, PolicyIr ir, ServiceCatalog catalog, Duration timeout) {
    Map<String, ServiceDecl> declarations = declarations(sources);
    List<Diagnostic> diagnostics = new ArrayList<>();
    for (ServiceIr service : ir.services()) {
      if (service.source() instanceof ServiceSource.Static) {
        continue;
      }
      ServiceQuery query = ServiceQueries.of(service.name(), service.source());
      Answer answer = ask(catalog, query, timeout);
      Optional<ServiceDecl> decl = Optional.ofNullable(declarations.get(service.name()));
      Located at = sourceSpan(decl, sources);
      switch (answer) {
        case Answer.Refused r ->
            diagnostics.add(
                Diagnostic.warning(
                    SOURCE_REFUSED,
                    at.span(),
                    at.source(),
                    "the catalog cannot answer for service \""
                        + service.name()
                        + "\": "
                        + r.error().getMessage()));
        case Answer.Endpoints e when e.endpoints().isEmpty() ->
            diagnostics.add(
                Diagnostic.warning(
                    NO_INSTANCES,
                    at.span(),
                    at.source(),
                    "service \""
                        + service.name()
                        + "\" has no healthy instance in the catalog right now ("
                        + describe(query)
                        + "); is the name right, and is anything registered under it?"));
        case Answer.Endpoints e -> {
          for (SubsetIr subset : service.subsets()) {
            if (e.endpoints().stream().noneMatch(ep -> ep.matches(subset.selector()))) {
              Located subsetAt = subsetSpan(decl, subset.name(), at);
              diagnostics.add(
                  Diagnostic.warning(
                      SUBSET_SELECTS_NOTHING,
                      subsetAt.span(),
                      subsetAt.source(),
                      "subset \""
                          + subset.name()
                          + "\" of service \""
                          + service.name()
                          + "\" selects none of its "
                          + e.endpoints().size()
                          + " instances: none has "
                          + labels(subset.selector())
                          + "; labels present: "
                          + present(e.endpoints())));
            }
          }
        }
      }
    }
    diagnostics.sort(Diagnostic.ORDER);
    return diagnostics;
  }

  /**
   * The first answer to {@code query}. A catalog that is unreachable (Consul down) is a {@link
   * UserError}: the check cannot say anything about the policy then.
   */
  static Answer ask(ServiceCatalog catalog, ServiceQuery query, Duration timeout) {
    CompletableFuture<Answer> first = new CompletableFuture<>();
    Subscription subscription;
    try {
      subscription =
          catalog.subscribe(
              query,
              new EndpointListener() {
                @Override
                public void onEndpoints(List<Endpoint> endpoints) {
                  first.complete(new Answer.Endpoints(endpoints));
                }

                @Override
                public void onError(Throwable error) {
                  first.complete(new Answer.Refused(error));
                }
              });
    } catch (IllegalArgumentException e) {
      return new Answer.Refused(e);
    }
    try {
      Answer answer = first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (answer instanceof Answer.Refused r
          && (r.error() instanceof ConsulCatalog.ConsulUnavailableException
              || r.error()
                  instanceof dev.meshgate.discovery.kubernetes.KubernetesUnavailableException)) {
        throw UserError.failure("cannot check against the catalog: " + r.error().getMessage());
      }
      return answer;
    } catch (TimeoutException e) {
      throw UserError.failure(
          "cannot check against the catalog: no answer for "
              + describe(query)
              + " within "
              + timeout.toSeconds()
              + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UserError.failure("interrupted");
    } catch (ExecutionException e) {
      return new Answer.Refused(e.getCause());
    } finally {
      subscription.cancel();
    }
  }

  private static String describe(ServiceQuery query) {
    return switch (query) {
      case ServiceQuery.Consul c -> "consul \"" + c.describe() + "\"";
      case ServiceQuery.Kubernetes k ->
          "kubernetes \"" + k.namespace() + "/" + k.name() + "\" port " + k.port();
      case ServiceQuery.Static s -> "static";
    };
  }

  private static String labels(Map<String, String> selector) {
    return selector.entrySet().stream()
        .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
        .collect(Collectors.joining(" and "));
  }

  private static String present(List<Endpoint> endpoints) {
    TreeSet<String> all = new TreeSet<>();
    endpoints.forEach(e -> e.labels().forEach((k, v) -> all.add(k + "=\"" + v + "\"")));
    return all.isEmpty() ? "none" : String.join(", ", all);
  }

  private record Located(Source source, Span span) {}

  private static Map<String, ServiceDecl> declarations(List<Source> sources) {
    Map<String, ServiceDecl> byName = new java.util.HashMap<>();
    for (Source source : sources) {
      PolicyFile file = PolicyParser.parse(source).file();
      for (Decl decl : file.decls()) {
        if (decl instanceof ServiceDecl s) {
          byName.putIfAbsent(s.name().text(), s);
        }
      }
    }
    return byName;
  }

  private static Source sourceOf(Span span, List<Source> sources) {
    return sources.stream()
        .filter(s -> s.name().equals(span.file()))
        .findFirst()
        .orElse(sources.getFirst());
  }

  private static Located sourceSpan(Optional<ServiceDecl> decl, List<Source> sources) {
    if (decl.isEmpty()) {
      Source first = sources.getFirst();
      return new Located(first, new Span(first.name(), 1, 1, 1));
    }
    Span span =
        decl.get().body().stream()
            .filter(s ->
                s instanceof ServiceStmt.ConsulSource || s instanceof ServiceStmt.KubernetesSource)
            .map(ServiceStmt::span)
            .findFirst()
            .orElse(decl.get().name().span());
    return new Located(sourceOf(span, sources), span);
  }

  private static Located subsetSpan(Optional<ServiceDecl> decl, String subset, Located fallback) {
    return decl.flatMap(d ->
            d.body().stream()
                .filter(
                    s -> s instanceof ServiceStmt.SubsetStmt st && st.name().text().equals(subset))
                .map(ServiceStmt::span)
                .findFirst())
        .map(span -> new Located(fallback.source(), span))
        .orElse(fallback);
  }
}
