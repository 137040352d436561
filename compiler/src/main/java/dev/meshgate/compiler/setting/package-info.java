/**
 * Settings: the statements that configure what a route or call does with a request ({@code to},
 * {@code redirect}, {@code respond}, {@code timeout}, {@code retry}, {@code rewrite}, header
 * changes, a tcp call's {@code port}), one small unit each, implementing {@link
 * dev.meshgate.compiler.setting.Setting}: the AST node it handles, where it may be written ({@link
 * dev.meshgate.compiler.setting.Attachment}), its checks and its lowering into the IR. The checker
 * and the lowering run every unit through {@link dev.meshgate.compiler.setting.Settings} and never
 * name one. A unit's Envoy translation is the class of the same name in {@code translate} (Envoy
 * protos stay there), its simulator rule the routing code in {@code simulate} when the simulator
 * can know it, its goldens {@code src/test/resources/golden/<feature>/}.
 */
package dev.meshgate.compiler.setting;
