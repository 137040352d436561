package dev.meshgate.compiler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonDiffTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<FieldChange> diff(String before, String after) throws Exception {
    JsonNode a = JSON.readTree(before.replace('\'', '"'));
    JsonNode b = JSON.readTree(after.replace('\'', '"'));
    return JsonDiff.diff(a, b);
  }

  private static FieldChange changed(String path, String before, String after) {
    return new FieldChange(path, Change.CHANGED, Optional.of(before), Optional.of(after));
  }

  @Test
  void equalTreesHaveNoDifferences() throws Exception {
    assertThat(diff("{'a':[1,{'b':2}]}", "{'a':[1,{'b':2}]}")).isEmpty();
  }

  @Test
  void fieldsAddedRemovedAndChanged() throws Exception {
    assertThat(diff("{'a':1,'b':{'c':'x'}}", "{'b':{'c':'y'},'d':true}"))
        .containsExactly(
            new FieldChange("a", Change.REMOVED, Optional.of("1"), Optional.empty()),
            changed("b.c", "\"x\"", "\"y\""),
            new FieldChange("d", Change.ADDED, Optional.empty(), Optional.of("true")));
  }

  @Test
  void namedElementsAreMatchedByName() throws Exception {
    assertThat(
            diff(
                "{'f':[{'name':'a','v':1},{'name':'b','v':1}]}",
                "{'f':[{'name':'x','v':0},{'name':'a','v':1},{'name':'b','v':2}]}"))
        .containsExactly(
            changed("f[b].v", "1", "2"),
            new FieldChange(
                "f[x]", Change.ADDED, Optional.empty(), Optional.of("{\"name\":\"x\",\"v\":0}")));
  }

  @Test
  void aNewOrderOfNamedElementsIsReportedOnce() throws Exception {
    assertThat(diff("{'f':[{'name':'a'},{'name':'b'}]}", "{'f':[{'name':'b'},{'name':'a'}]}"))
        .containsExactly(changed("f (order)", "[\"a\",\"b\"]", "[\"b\",\"a\"]"));
  }

  @Test
  void unnamedListsAreAlignedOnWhatTheyShare() throws Exception {
    assertThat(diff("{'d':['a','b','c']}", "{'d':['a','x','c','e']}"))
        .containsExactly(
            changed("d[1]", "\"b\"", "\"x\""),
            new FieldChange("d[3]", Change.ADDED, Optional.empty(), Optional.of("\"e\"")));
    assertThat(diff("{'d':['a','b','c']}", "{'d':['c']}"))
        .containsExactly(
            new FieldChange("d[0]", Change.REMOVED, Optional.of("\"a\""), Optional.empty()),
            new FieldChange("d[1]", Change.REMOVED, Optional.of("\"b\""), Optional.empty()));
  }

  @Test
  void routesAreAlignedByContentWithTheirPositionalNamesLeftOut() throws Exception {
    String before =
        "{'routes':[{'name':'h/1','p':'/a'},{'name':'h/2','p':'/b','t':'2s'},{'name':'h/3','p':'/'}]}";
    String after =
        "{'routes':[{'name':'h/1','p':'/n'},{'name':'h/2','p':'/a'},{'name':'h/3','p':'/b','t':'1s'},{'name':'h/4','p':'/'}]}";
    assertThat(diff(before, after))
        .containsExactly(
            new FieldChange(
                "routes[0]",
                Change.ADDED,
                Optional.empty(),
                Optional.of("{\"name\":\"h/1\",\"p\":\"/n\"}")),
            changed("routes[2].t", "\"2s\"", "\"1s\""));
  }
}
