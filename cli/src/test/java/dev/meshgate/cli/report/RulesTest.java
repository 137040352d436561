package dev.meshgate.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.check.Codes;
import dev.meshgate.compiler.check.TestCodes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every diagnostic code has a hand-written SARIF description, and the table has nothing else. */
class RulesTest {

  /** Code → constant name, for every code of the compiler, plus the CLI's catalog codes. */
  private static Map<String, String> everyCode() throws IllegalAccessException {
    Map<String, String> codes = new TreeMap<>();
    for (Class<?> holder : new Class<?>[] {Codes.class, TestCodes.class}) {
      for (Field f : holder.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          codes.put((String) f.get(null), f.getName());
        }
      }
    }
    codes.put("MG601", "NO_INSTANCES");
    codes.put("MG602", "SUBSET_SELECTS_NOTHING");
    codes.put("MG603", "SOURCE_REFUSED");
    return codes;
  }

  @Test
  void everyCodeHasAHandWrittenDescription() throws IllegalAccessException {
    Map<String, String> codes = everyCode();
    assertThat(codes)
        .containsKeys(
            "MG101", "MG319", "MG518", "MG701", "MG792", "MG811"); // reflection found them
    for (var code : codes.entrySet()) {
      String description = Rules.all().get(code.getKey());
      assertThat(description)
          .as(code.getKey() + " (" + code.getValue() + ") needs a description in Rules")
          .isNotBlank();
      // Not the constant name turned into words, which is how descriptions used to be made.
      String mechanical = code.getValue().toLowerCase(Locale.ROOT).replace('_', ' ');
      assertThat(description.toLowerCase(Locale.ROOT)).as(code.getKey()).isNotEqualTo(mechanical);
      assertThat(description).as(code.getKey()).doesNotEndWith(".");
      assertThat(Rules.describe(code.getKey())).isEqualTo(description);
    }
  }

  @Test
  void theTableHoldsExactlyTheKnownCodesAndTheTestRule() throws IllegalAccessException {
    Set<String> expected = new HashSet<>(everyCode().keySet());
    expected.add(Rules.TestRule.ID);
    assertThat(Rules.all().keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void descriptionsAreDistinct() {
    assertThat(new HashSet<>(Rules.all().values())).hasSameSizeAs(Rules.all().values());
  }

  @Test
  void anUnknownCodeStillGetsADescription() {
    assertThat(Rules.describe("MG999")).isEqualTo("Meshgate diagnostic MG999");
    assertThat(Rules.category("MG811")).isEqualTo("policy tests");
  }
}
