package dev.meshgate.compiler.ir;

import java.time.Duration;

/**
 * {@code slow-start 30s { min-weight 10% }}: a newly added endpoint's weight ramps up from {@code
 * minWeightPercent} to full over {@code window} (Envoy's SlowStartConfig, linear: aggression 1).
 */
public record SlowStartIr(Duration window, int minWeightPercent) {}
