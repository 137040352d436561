package dev.meshgate.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.xds.MeshgateServer.PolicyUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePollerTest {
  @TempDir Path dir;

  /** Records what the poller asked; serves a policy unless its text says "broken". */
  static final class FakeServer implements BundlePoller.Target {
    final List<String> calls = new ArrayList<>();

    @Override
    public PolicyUpdate replace(Path root) {
      try {
        String text = Files.readString(root.resolve("p.mesh"));
        calls.add("replace " + text.strip());
        boolean ok = !text.contains("broken");
        return new PolicyUpdate(ok, "v", ok ? Optional.empty() : Optional.of("1 error(s)"));
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void reject(String reason) {
      calls.add("reject " + reason);
    }
  }

  private Path publish(byte[] zip, int second) throws Exception {
    Path file = dir.resolve("b.zip");
    Files.write(file, zip);
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000L + second * 1000L));
    return file;
  }

  private static byte[] bundle(String text, KeyPair keys) {
    return Bundle.write(
        new TreeMap<>(Map.of("p.mesh", text.getBytes(StandardCharsets.UTF_8))),
        "1",
        "abc",
        Optional.of(keys.getPrivate()));
  }

  @Test
  void newBundlesAreServedAndBadOnesNeverAndEachIsTriedOnce() throws Exception {
    KeyPair keys = BundleTest.keys();
    Path file = publish(bundle("one", keys), 1);
    FakeServer server = new FakeServer();
    try (BundlePoller poller =
        BundlePoller.open(BundleSource.of(file.toString()), Optional.of(keys.getPublic()))) {
      Path first = poller.current();
      assertThat(first.resolve("p.mesh")).hasContent("one");

      poller.poll(server); // unchanged
      assertThat(server.calls).isEmpty();

      publish(bundle("two", keys), 2);
      poller.poll(server);
      assertThat(server.calls).containsExactly("replace two");
      assertThat(poller.current().resolve("p.mesh")).hasContent("two");
      assertThat(first).doesNotExist();

      byte[] tampered =
          BundleTest.rezip(
              bundle("three", keys), "p.mesh", b -> "evil".getBytes(StandardCharsets.UTF_8));
      publish(tampered, 3);
      poller.poll(server);
      poller.poll(server);
      publish(tampered, 4); // touched, same bytes: not tried again
      poller.poll(server);
      assertThat(server.calls.subList(1, server.calls.size()))
          .containsExactly(
              "reject bundle "
                  + file
                  + " (sha256 "
                  + Sha256.hex(tampered).substring(0, 12)
                  + ") rejected: bundle entry p.mesh does not match its sha256 in manifest.json:"
                  + " the bundle was changed after it was written");

      Path served = poller.current();
      publish(bundle("broken", keys), 5);
      poller.poll(server);
      assertThat(server.calls.getLast()).isEqualTo("replace broken");
      assertThat(poller.current()).isEqualTo(served);
      assertThat(served.resolve("p.mesh")).hasContent("two");
      try (var gens = Files.list(served.getParent())) {
        assertThat(gens).containsExactly(served); // the refused one is deleted
      }

      Files.delete(file);
      poller.poll(server);
      poller.poll(server);
      assertThat(server.calls.getLast())
          .isEqualTo("reject cannot read bundle " + file + ": no such file");
      assertThat(server.calls).hasSize(4);

      publish(bundle("two", keys), 6); // back: applied again, which clears the error
      poller.poll(server);
      assertThat(server.calls.getLast()).isEqualTo("replace two");
    }
  }
}
