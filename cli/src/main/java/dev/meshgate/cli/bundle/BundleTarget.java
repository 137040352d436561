package dev.meshgate.cli.bundle;

import dev.meshgate.xds.MeshgateServer;
import java.nio.file.Path;

/** The server as a {@link BundlePoller.Target}. */
public final class BundleTarget {
  private BundleTarget() {}

  public static BundlePoller.Target of(MeshgateServer server) {
    return new BundlePoller.Target() {
      @Override
      public MeshgateServer.PolicyUpdate replace(Path root) {
        return server.replacePolicy(root);
      }

      @Override
      public void reject(String reason) {
        server.rejectPolicy(reason);
      }
    };
  }
}
