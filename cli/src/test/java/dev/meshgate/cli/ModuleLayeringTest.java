package dev.meshgate.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering between modules, checked where every production module is on the class path (the CLI
 * depends on all of them). The compiler's inner layering is its own ArchitectureTest.
 */
@AnalyzeClasses(packages = "dev.meshgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleLayeringTest {

  /** java-control-plane's snapshot cache and xDS server stay behind xds-server. */
  @ArchTest
  static final ArchRule controlPlaneOnlyInXdsServer =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.meshgate.xds..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.envoyproxy.controlplane.cache..", "io.envoyproxy.controlplane.server..")
          .as("java-control-plane's cache and server packages are used only in xds-server");

  /** ANTLR and the generated parser are seen only by the compiler's parse package. */
  @ArchTest
  static final ArchRule antlrOnlyInParse =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.meshgate.compiler.parse..", "dev.meshgate.grammar..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.antlr..", "dev.meshgate.grammar..")
          .as("ANTLR types are used only in compiler/parse");

  /**
   * Envoy's protos are the compiler's output and the server's payload: the CLI, the bootstrap and
   * the discovery adapters go through the compiler's and the server's own types.
   */
  @ArchTest
  static final ArchRule envoyProtosOnlyInCompilerAndServer =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.meshgate.compiler..", "dev.meshgate.xds..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.envoyproxy.envoy..")
          .as("Envoy protos only in the compiler and xds-server");

  /** Modules (top-level packages) depend on each other one way. */
  @ArchTest
  static final ArchRule noCyclesBetweenModules =
      slices().matching("dev.meshgate.(*)..").should().beFreeOfCycles();

  /** Nothing below the CLI depends on it. */
  @ArchTest
  static final ArchRule nothingDependsOnTheCli =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.meshgate.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.meshgate.cli..")
          .as("no module depends on the CLI");
}
