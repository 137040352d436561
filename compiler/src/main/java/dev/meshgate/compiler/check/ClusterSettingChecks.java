package dev.meshgate.compiler.check;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.setting.ClusterChecks;
import dev.meshgate.compiler.setting.ClusterSettings;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's cluster settings (issue 14): each statement at most once, then its unit's checks
 * ({@link ClusterSettings}).
 */
final class ClusterSettingChecks {
  private final CheckContext cx;
  private final Values values;

  ClusterSettingChecks(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  void check(String service, List<ClusterStmt> stmts) {
    Map<Class<?>, ClusterStmt> first = new HashMap<>();
    Place place = new Place(service, stmts);
    for (ClusterStmt stmt : stmts) {
      ClusterStmt before = first.putIfAbsent(stmt.getClass(), stmt);
      if (before != null) {
        cx.error(
            Codes.DUPLICATE_SERVICE_SETTING,
            stmt.span(),
            "service \""
                + service
                + "\" has more than one `"
                + stmt.keyword()
                + "`; the first is at "
                + cx.at(before.span()));
        continue;
      }
      ClusterSettings.check(stmt, place);
    }
  }

  private final class Place implements ClusterChecks {
    private final String service;
    private final List<ClusterStmt> stmts;

    Place(String service, List<ClusterStmt> stmts) {
      this.service = service;
      this.stmts = stmts;
    }

    @Override
    public <T extends ClusterStmt> Optional<T> first(Class<T> kind) {
      return stmts.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    @Override
    public String service() {
      return service;
    }

    @Override
    public String protocol() {
      return cx.protocol(service);
    }

    @Override
    public void duration(DurationLit duration) {
      values.duration(duration);
    }

    @Override
    public String hint(String name, Collection<String> known) {
      List<String> near = NearestNames.nearest(name, known);
      return near.isEmpty()
          ? "it takes " + String.join(", ", known)
          : "did you mean "
              + String.join(" or ", near.stream().map(n -> "\"" + n + "\"").toList())
              + "?";
    }

    @Override
    public String at(Span span) {
      return cx.at(span);
    }

    @Override
    public void error(String code, Span span, String message) {
      cx.error(code, span, message);
    }

    @Override
    public void warning(String code, Span span, String message) {
      cx.warning(code, span, message);
    }
  }
}
