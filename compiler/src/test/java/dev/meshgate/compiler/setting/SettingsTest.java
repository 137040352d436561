package dev.meshgate.compiler.setting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void everyRouteStatementHasExactlyOneUnit() {
    List<Class<?>> statements = Arrays.asList(RouteStmt.class.getPermittedSubclasses());
    List<Class<?>> nodes = Settings.ALL.stream().<Class<?>>map(Setting::node).toList();
    assertThat(nodes).containsExactlyInAnyOrderElementsOf(statements);
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
