package dev.meshgate.compiler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * basic auth (issue 12): an htpasswd file as Envoy's basic_auth filter takes it: one {@code
 * user:{SHA}hash} per line ({@code #} comments and blank lines ignored), where the hash is the
 * base64 SHA-1 of the password ({@code htpasswd -s}). Envoy refuses any other hash and a user given
 * twice by refusing the whole configuration, so the server parses the file here first and serves
 * only a file that parses. Messages name the file and line, never a hash.
 */
public final class Htpasswd {
  /** What a user name may hold: it names the client in a header and in logs. */
  public static final String USER_NAME = "[A-Za-z0-9._@-]+";

  private static final Pattern SHA = Pattern.compile("\\{SHA}[A-Za-z0-9+/]{27}=");

  /** One user and its hash ({@code {SHA}…}); {@link #toString()} hides the hash. */
  public record User(String name, String hash) {
    @Override
    public String toString() {
      return "User[" + name + "]";
    }

    /** The line Envoy reads. */
    public String line() {
      return name + ":" + hash;
    }
  }

  private Htpasswd() {}

  /**
   * The users of {@code lines}, in file order.
   *
   * @throws IllegalArgumentException naming {@code file} and the line of the first problem
   */
  public static List<User> parse(String file, List<String> lines) {
    List<User> users = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + ":" + (i + 1) + ": ";
      int colon = line.indexOf(':');
      String name = colon < 0 ? "" : line.substring(0, colon);
      if (colon < 0 || !name.matches(USER_NAME)) {
        throw new IllegalArgumentException(
            where + "not `user:{SHA}hash` (user names use letters, digits and . _ @ -)");
      }
      String hash = line.substring(colon + 1);
      if (!SHA.matcher(hash).matches()) {
        throw new IllegalArgumentException(
            where
                + "user \""
                + name
                + "\" has no {SHA} hash; Envoy accepts only those: make the line with"
                + " `htpasswd -s`");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException(
            where + "user \"" + name + "\" is given twice; keep one line per user");
      }
      users.add(new User(name, hash));
    }
    return List.copyOf(users);
  }
}
