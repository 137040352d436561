/**
 * {@code meshgate fmt}: prints a parsed policy file back in one canonical layout, comments kept.
 * {@link dev.meshgate.compiler.format.PolicyFormatter} is the entry point; it refuses files with
 * syntax errors instead of rewriting what it could not fully read.
 */
package dev.meshgate.compiler.format;
