/** Checked syntax tree → IR: names resolved, defaults applied, lists in their stable order. */
package dev.meshgate.compiler.lower;
