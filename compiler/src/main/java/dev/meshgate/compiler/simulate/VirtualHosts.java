package dev.meshgate.compiler.simulate;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Envoy's virtual host selection, by the request's host (the {@code :authority} header): host names
 * compare case-insensitively; an exact domain wins, then the longest suffix wildcard ({@code
 * *.shop.example}, which never matches {@code shop.example} itself: the wildcard stands for at
 * least one character), then the longest prefix wildcard ({@code api.*}), then {@code *}. No match
 * means Envoy answers 404.
 */
public final class VirtualHosts {
  private VirtualHosts() {}

  /** How a domain matched; lower ranks win, then longer {@code length}. */
  record Match(int index, int rank, int length) {}

  /**
   * The index of the virtual host (given as each one's domains, in order) that serves {@code host},
   * after dropping a {@code :port} when {@code stripPort}.
   */
  public static Optional<Integer> select(
      List<List<String>> domainsByHost, String host, boolean stripPort) {
    String h = normalize(host, stripPort);
    Match best = null;
    for (int i = 0; i < domainsByHost.size(); i++) {
      for (String domain : domainsByHost.get(i)) {
        Optional<Match> m = match(i, domain.toLowerCase(Locale.ROOT), h);
        if (m.isPresent() && (best == null || better(m.get(), best))) {
          best = m.get();
        }
      }
    }
    return Optional.ofNullable(best).map(Match::index);
  }

  /** Whether {@code domain} (a virtual host domain) matches {@code host} at all. */
  public static boolean matches(String domain, String host) {
    return match(0, domain.toLowerCase(Locale.ROOT), normalize(host, true)).isPresent();
  }

  private static boolean better(Match a, Match b) {
    return a.rank() < b.rank() || (a.rank() == b.rank() && a.length() > b.length());
  }

  private static Optional<Match> match(int index, String domain, String host) {
    if (domain.equals("*")) {
      return Optional.of(new Match(index, 3, 0));
    }
    if (domain.startsWith("*")) {
      String suffix = domain.substring(1);
      return host.length() > suffix.length() && host.endsWith(suffix)
          ? Optional.of(new Match(index, 1, suffix.length()))
          : Optional.empty();
    }
    if (domain.endsWith("*")) {
      String prefix = domain.substring(0, domain.length() - 1);
      return host.length() > prefix.length() && host.startsWith(prefix)
          ? Optional.of(new Match(index, 2, prefix.length()))
          : Optional.empty();
    }
    return domain.equals(host)
        ? Optional.of(new Match(index, 0, domain.length()))
        : Optional.empty();
  }

  static String normalize(String host, boolean stripPort) {
    String h = host.toLowerCase(Locale.ROOT);
    if (stripPort) {
      int colon = h.lastIndexOf(':');
      // "[::1]:8080" keeps its brackets; a bare IPv6 address has no port to strip.
      if (colon > 0 && h.indexOf(':') == colon || (h.startsWith("[") && colon > h.indexOf(']'))) {
        if (h.substring(colon + 1).chars().allMatch(Character::isDigit)) {
          h = h.substring(0, colon);
        }
      }
    }
    return h;
  }
}
