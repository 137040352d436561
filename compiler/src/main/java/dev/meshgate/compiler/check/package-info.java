/**
 * Whole-policy checks over the syntax tree: names and references, values and units, routing
 * analysis, and the analyses that look at the policy as a whole (shadowed routes, colliding
 * listeners, targets without endpoints, contradictory rules, unused declarations). Every finding is
 * a {@link dev.meshgate.compiler.Diagnostic} with a stable code; {@link
 * dev.meshgate.compiler.check.Codes} lists them all, and docs/language.md explains each. {@code #
 * meshgate:ignore CODE reason} comments silence findings in place ({@link
 * dev.meshgate.compiler.check.Suppressions}).
 */
package dev.meshgate.compiler.check;
