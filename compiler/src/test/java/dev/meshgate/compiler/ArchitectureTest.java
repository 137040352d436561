package dev.meshgate.compiler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The compiler's layering, as the build checks it (docs/architecture.md states the same rules).
 * Test classes are left out: tests may build Envoy messages to compare with.
 */
@AnalyzeClasses(
    packages = "dev.meshgate.compiler",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The parser's generated classes and ANTLR's runtime stay behind {@code parse}. */
  @ArchTest
  static final ArchRule antlrOnlyInParse =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.meshgate.compiler.parse..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.antlr..", "dev.meshgate.grammar..")
          .as("ANTLR types are used only in compiler/parse");

  /** java-control-plane's machinery (snapshot cache, xDS server) belongs to xds-server. */
  @ArchTest
  static final ArchRule noControlPlaneMachinery =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.envoyproxy.controlplane.cache..", "io.envoyproxy.controlplane.server..")
          .as("the compiler never uses java-control-plane's cache or server packages");

  /**
   * Envoy's v3 protos are the compiler's output format: built in {@code translate}, read by the
   * simulator ({@code simulate} runs test expectations against the compiled Envoy resources, not
   * the IR), carried by {@link ProxyResources} and printed by {@link EnvoyOutput}. Nowhere else.
   */
  @ArchTest
  static final ArchRule envoyProtosOnlyInTranslateSimulateAndOutput =
      noClasses()
          .that()
          .resideOutsideOfPackages(
              "dev.meshgate.compiler.translate..", "dev.meshgate.compiler.simulate..")
          .and()
          .doNotHaveFullyQualifiedName(ProxyResources.class.getName())
          .and()
          .doNotHaveFullyQualifiedName(EnvoyOutput.class.getName())
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.envoyproxy.envoy..")
          .as("Envoy protos only in translate, simulate, ProxyResources and EnvoyOutput");

  /**
   * The stage packages ({@code parse}, {@code check}, {@code setting}, {@code lower}, {@code
   * translate}, …, each with its sub-packages) depend on each other without cycles. The root
   * package is not a slice: it holds the entry point ({@link Compiler}, which uses every stage) and
   * the value types every stage shares ({@link Span}, {@link Diagnostic}, {@link Source}).
   */
  @ArchTest
  static final ArchRule noCyclesBetweenStages =
      slices().matching("dev.meshgate.compiler.(*)..").should().beFreeOfCycles();
}
