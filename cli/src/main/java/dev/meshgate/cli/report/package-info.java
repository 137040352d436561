/**
 * Machine-readable reports of {@code check}, {@code test} and {@code plan}: SARIF 2.1.0 (so
 * findings show as pull-request annotations) and JSON (for scripts), plus the plain-text plan.
 * {@link dev.meshgate.cli.report.Reports} is the entry point commands call.
 */
package dev.meshgate.cli.report;
