package dev.meshgate.compiler.setting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void everyRouteStatementHasExactlyOneUnit() {
    List<Class<?>> statements = leaves(RouteStmt.class).toList();
    List<Class<?>> nodes = Settings.ALL.stream().<Class<?>>map(Setting::node).toList();
    assertThat(nodes).containsExactlyInAnyOrderElementsOf(statements);
  }

  /** The records of a sealed hierarchy, through sealed sub-interfaces such as RouteAuth. */
  private static Stream<Class<?>> leaves(Class<?> type) {
    return type.isSealed()
        ? Arrays.stream(type.getPermittedSubclasses()).flatMap(SettingsTest::leaves)
        : Stream.of(type);
  }

  @Test
  void everyUnitMayBeWrittenSomewhere() {
    assertThat(Settings.ALL).allSatisfy(unit -> assertThat(unit.attachments()).isNotEmpty());
  }

  @Test
  void moreSpecificPlacesOverrideLessSpecificOnes() {
    assertThat(Attachment.ROUTE.overrides(Attachment.HOST)).isTrue();
    assertThat(Attachment.HOST.overrides(Attachment.GATEWAY)).isTrue();
    assertThat(Attachment.GATEWAY.overrides(Attachment.SERVICE)).isTrue();
    assertThat(Attachment.CALL.overrides(Attachment.SERVICE)).isTrue();
    assertThat(Attachment.SERVICE.overrides(Attachment.ROUTE)).isFalse();
  }
}
