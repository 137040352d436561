package dev.meshgate.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.check.PolicyChecker;
import dev.meshgate.compiler.parse.PolicyParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The checker's whole-policy analyses on a thread of their own (a server's reloads) find exactly
 * what one thread finds, in the same order: every golden case, checked both ways.
 */
class ChecksBesideTest {
  private static final ExecutorService BESIDE = Executors.newSingleThreadExecutor();

  @AfterAll
  static void stop() {
    BESIDE.shutdownNow();
  }

  @Test
  void everyGoldenCaseGivesTheSameFindingsInTheSameOrder() throws Exception {
    Set<String> codes = new HashSet<>();
    int cases = 0;
    for (GoldenTest.Case c : GoldenTest.cases()) {
      List<PolicyFile> files = new ArrayList<>();
      for (Source source : GoldenTest.sources(c)) {
        files.add(PolicyParser.parse(source).file());
      }
      PolicyChecker.Result one = PolicyChecker.analyze(files);
      PolicyChecker.Result beside = PolicyChecker.analyze(files, BESIDE);
      assertThat(beside).as(c.name()).isEqualTo(one);
      one.diagnostics().forEach(d -> codes.add(d.code()));
      one.suppressed().forEach(s -> codes.add(s.diagnostic().code()));
      cases++;
    }
    assertThat(cases).isGreaterThan(100);
    // what runs beside is exercised: rule coverage, unused declarations, test blocks, and the
    // checks after it that must see the current file coverage leaves
    assertThat(codes).contains("MG509", "MG704", "MG720", "MG721", "MG801", "MG512", "MG518");
  }
}
