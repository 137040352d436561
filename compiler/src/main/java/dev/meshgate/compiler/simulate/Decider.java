package dev.meshgate.compiler.simulate;

import java.util.Optional;

/**
 * What decided a simulated outcome: a route ({@code route api.example/3}), an authorization rule
 * ({@code deny rule "orders -> catalog DELETE"}) or a default, with where it was written ({@code
 * file:line:col}) when it comes from the policy.
 */
public record Decider(String description, Optional<String> origin) {
  @Override
  public String toString() {
    return origin.map(o -> description + " at " + o).orElse(description);
  }
}
