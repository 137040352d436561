/**
 * Source text → syntax tree. The only package that sees ANTLR: everything else works on {@link
 * dev.meshgate.compiler.ast} records, so the parser generator can be swapped or upgraded without
 * touching checks or lowering.
 */
package dev.meshgate.compiler.parse;
