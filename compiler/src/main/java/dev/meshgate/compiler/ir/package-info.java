/**
 * The intermediate representation: what the policy means, per proxy group, with every name
 * resolved, every default applied and every list sorted, so that translation to Envoy is a plain
 * mapping and output is deterministic. Readable as YAML (golden {@code .ir.yaml} files).
 */
package dev.meshgate.compiler.ir;
