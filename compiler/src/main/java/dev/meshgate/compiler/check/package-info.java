/**
 * Whole-policy checks over the syntax tree: names and references, values and units, routing
 * analysis. Every finding is a {@link dev.meshgate.compiler.Diagnostic} with a stable code;
 * {@link dev.meshgate.compiler.check.Codes} lists them all, and docs/language.md explains each.
 */
package dev.meshgate.compiler.check;
