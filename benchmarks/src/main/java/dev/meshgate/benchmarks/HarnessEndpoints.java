package dev.meshgate.benchmarks;

import dev.meshgate.discovery.Endpoint;
import java.util.List;

/**
 * Where the harness sets a service's endpoints: its catalog in this JVM, or the catalog of a server
 * in its own JVM ({@link ForkedServer}), so the policy seeding and the churn need not know which.
 */
interface HarnessEndpoints {
  /** Sets the endpoints of {@code service}; the server hears of it as from a catalog push. */
  void set(String service, List<Endpoint> endpoints);
}
