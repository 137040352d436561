package dev.meshgate.compiler.simulate;

import java.util.List;
import java.util.Optional;

/**
 * The simulated fate of one request: the outcome, what decided it, and notes worth showing (a
 * dry-run rule that would have denied, a part of the config the simulator cannot judge).
 */
public record Simulation(
    SimulatedOutcome outcome, Optional<Decider> decidedBy, List<String> notes) {
  public Simulation {
    notes = List.copyOf(notes);
  }
}
