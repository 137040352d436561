package dev.meshgate.compiler.simulate;

import java.util.List;
import java.util.stream.Collectors;

/** What an expectation says must happen. */
public sealed interface ExpectedOutcome {

  /**
   * Forwarded upstream, split as given: {@code catalog.v1 90%, catalog.v2 10%} (weights in percent,
   * sum 100).
   */
  record Forward(List<Share> shares) implements ExpectedOutcome {
    public Forward {
      shares = List.copyOf(shares);
    }

    @Override
    public String toString() {
      if (shares.size() == 1 && shares.getFirst().percent() == 100) {
        return shares.getFirst().cluster();
      }
      return shares.stream().map(Share::toString).collect(Collectors.joining(", "));
    }
  }

  /**
   * Answered by the proxy with this status: a {@code respond}, no route (404), a denial (403), or
   * any redirect with this code.
   */
  record Status(int status) implements ExpectedOutcome {
    @Override
    public String toString() {
      return Integer.toString(status);
    }
  }

  /**
   * {@code fault 503}: aborted by the route's fault filter with this status (a {@code respond 503}
   * or a 503 from the backend is not this).
   */
  record Fault(int status) implements ExpectedOutcome {
    @Override
    public String toString() {
      return "fault " + status;
    }
  }

  /**
   * {@code redirect 301 "/new/"}: a location starting with "/" is compared with the path (and
   * query) of the Location.
   */
  record Redirect(int status, String location) implements ExpectedOutcome {
    @Override
    public String toString() {
      return "redirect " + status + " \"" + location + "\"";
    }
  }

  /** {@code allowed} / {@code denied}: the verdict of the callee's inbound authorization. */
  record Verdict(boolean allowed) implements ExpectedOutcome {
    @Override
    public String toString() {
      return allowed ? "allowed" : "denied";
    }
  }

  /** One cluster of a split and its share. */
  record Share(String cluster, double percent) {
    @Override
    public String toString() {
      return cluster + " " + Percent.format(percent) + "%";
    }
  }
}
