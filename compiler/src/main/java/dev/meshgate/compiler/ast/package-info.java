/**
 * The syntax tree of a policy file: immutable records, a {@link dev.meshgate.compiler.Span} on
 * every node, values kept as written (the checker judges them, lowering resolves them). Nodes whose
 * text was broken beyond repair are left out by the parser, which has already reported why.
 */
package dev.meshgate.compiler.ast;
