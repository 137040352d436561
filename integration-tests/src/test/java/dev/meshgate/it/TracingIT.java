package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.it.OtlpReceiver.ReceivedSpan;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * tracing (issue 15): a request through edge → orders' sidecar → (orders' app, which passes the
 * trace context on, as an instrumented app does) → orders' sidecar outbound → catalog's sidecar
 * yields one trace in a real OTLP/gRPC receiver: spans from all three Envoys with one trace id,
 * each hop the child of the one before (W3C {@code traceparent}), each with the {@code tenant} tag
 * taken from the request header. A route with {@code trace sample 0%} yields no span anywhere: the
 * sidecars follow the edge's decision.
 */
@ExtendWith(PrintLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracingIT {
  /** Envoy's OpenTelemetry tracer flushes every 5 s; allow a few flushes. */
  private static final Duration SPANS_WITHIN = Duration.ofSeconds(20);

  private static final String TRACING =
      """
        tracing {
          collector "COLLECTOR"
          sample 100%
          tag "tenant" from header "x-tenant"
        }
      """;

  private static String service(String name) {
    return """
    service NAME {
      source static 127.0.0.1:${NAME.inbound}
    TRACING  sidecar {
        inbound 127.0.0.1:${NAME.inbound}
        app ${NAME.app}
        outbound 127.0.0.1:${NAME.outbound}
      }
    }
    """
        .replace("TRACING", TRACING)
        .replace("NAME", name);
  }

  private static String policy(String collector) {
    return ("""
    mesh shop {
      trust-domain "shop.example"
      mtls strict
      authz default deny
    }
    """
            + service("orders")
            + service("catalog")
            + """
            gateway edge {
              listen 127.0.0.1:${edge.port}
            TRACING  host "*" {
                route /quiet/** {
                  to orders
                  trace sample 0%
                }
                route /** { to orders }
              }
            }
            allow edge -> orders
            allow orders -> catalog
            """
                .replace("TRACING", TRACING))
        .replace("COLLECTOR", collector);
  }

  @TempDir static Path work;
  static OtlpReceiver receiver;
  static MeshStack mesh;

  @BeforeAll
  static void start() {
    receiver = OtlpReceiver.start();
    mesh =
        MeshStack.start(
            work, policy(receiver.address()), List.of("orders", "catalog"), List.of("edge"));
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(mesh, receiver);
  }

  /**
   * Edge → orders (its app echoes what it got), then orders' app calls catalog through its sidecar
   * passing the trace context on; returns the traceparent orders' app received.
   */
  private static String chain(String path, String tenant) {
    JsonNode atOrders = MeshStack.ok(Http.get(mesh.gatewayUrl("edge", path), "x-tenant", tenant));
    JsonNode headers = atOrders.path("headers");
    String traceparent = headers.path("traceparent").asText();
    assertThat(traceparent)
        .as("orders' app gets W3C trace context: %s", headers)
        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    HttpResponse<String> atCatalog =
        mesh.call(
            "orders",
            "catalog",
            "GET",
            "/catalog/items",
            "traceparent",
            traceparent,
            "x-request-id",
            headers.path("x-request-id").asText(),
            "x-tenant",
            tenant);
    assertThat(MeshStack.ok(atCatalog).path("backend").asText()).isEqualTo("catalog");
    return traceparent;
  }

  private static String traceId(String traceparent) {
    return traceparent.split("-")[1];
  }

  @Test
  @Order(1)
  void oneRequestThroughEdgeAndTwoSidecarsIsOneTraceWithParentChildLinksAndTheTenantTag() {
    String tenant = "acme-" + UUID.randomUUID();
    String traceparent = chain("/orders/items", tenant);
    assertThat(traceparent).as("sampled").endsWith("-01");
    String traceId = traceId(traceparent);

    // edge (1 span), orders inbound + outbound (2), catalog inbound (1)
    List<ReceivedSpan> trace =
        Wait.until(
            SPANS_WITHIN,
            "4 spans of trace " + traceId + " at " + receiver,
            () -> {
              List<ReceivedSpan> spans = receiver.trace(traceId);
              return spans.size() >= 4 ? Optional.of(spans) : Optional.empty();
            });
    assertThat(trace).hasSize(4);
    assertThat(trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()))
        .as("service.name of each proxy's spans")
        .containsExactlyInAnyOrder("edge", "orders", "catalog");
    assertThat(trace).allSatisfy(s -> assertThat(s.attributes()).containsEntry("tenant", tenant));

    Map<String, ReceivedSpan> byId =
        trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
    List<ReceivedSpan> roots = trace.stream().filter(s -> s.parentSpanId().isEmpty()).toList();
    assertThat(roots).as("one root span").hasSize(1);
    assertThat(roots.getFirst().service()).isEqualTo("edge");
    ReceivedSpan catalog =
        trace.stream().filter(s -> s.service().equals("catalog")).findFirst().orElseThrow();
    // Walk up from catalog to the root: catalog → orders (outbound) → orders (inbound) → edge.
    StringBuilder path = new StringBuilder(catalog.service());
    ReceivedSpan at = catalog;
    for (int hop = 0; hop < 4 && !at.parentSpanId().isEmpty(); hop++) {
      at = byId.get(at.parentSpanId());
      assertThat(at).as("the parent of a span is a span of the same trace").isNotNull();
      path.append(" <- ").append(at.service());
    }
    assertThat(path.toString()).isEqualTo("catalog <- orders <- orders <- edge");
    assertThat(traceparent.split("-")[2])
        .as("orders' app got the orders inbound span as its parent")
        .isIn(
            trace.stream()
                .filter(s -> s.service().equals("orders"))
                .map(ReceivedSpan::spanId)
                .toList());
  }

  @Test
  @Order(2)
  void aRouteSampledAtZeroPercentYieldsNoSpanOnAnyProxy() {
    long notTraceable = notTraceable();
    String quiet = "quiet-" + UUID.randomUUID();
    String quietParent = chain("/quiet/items", quiet);
    assertThat(quietParent).as("not sampled, still propagated").endsWith("-00");
    assertThat(notTraceable()).as("the edge decided not to trace").isEqualTo(notTraceable + 1);

    // A traced request after it: once its spans arrived, each proxy has flushed past the quiet one.
    String loud = "loud-" + UUID.randomUUID();
    String traceId = traceId(chain("/orders/items", loud));
    Wait.until(
        SPANS_WITHIN,
        "the spans of the traced request after the quiet one",
        () -> receiver.trace(traceId).size() >= 4);
    Set<String> tenants =
        receiver.spans().stream()
            .map(s -> s.attributes().getOrDefault("tenant", ""))
            .collect(Collectors.toSet());
    assertThat(tenants).contains(loud).doesNotContain(quiet);
    assertThat(receiver.trace(traceId(quietParent))).isEmpty();
  }

  private static long notTraceable() {
    return mesh.envoy("edge").stats("tracing\\.not_traceable$", false).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }
}
