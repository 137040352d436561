package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import java.nio.file.Path;
import org.junit.jupiter.api.*;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PrintLogsOnFailure.class)
class TmpFailDemoIT {
  @TempDir static Path work;
  static GatewayStack stack;
  static MeshgateProcess bad;
  @BeforeAll static void start() {
    int port = FreePorts.next();
    stack = GatewayStack.start(work, "edge", port, "service w { source static 127.0.0.1:9 }\ngateway edge { listen 127.0.0.1:" + port + " host \"*\" { route /** { to w } } }\n");
  }
  @AfterAll static void stop() { Closer.closeAll(stack, bad); }
  @Test void fails() { assertThat(1).isEqualTo(2); }
  @Test void badPolicy() {
    Policy.write(work.resolve("bad/p.mesh"), "service w { source static 127.0.0.1:9 }\ngateway edge { listen 127.0.0.1:1 host \"*\" { route /** { to nope } } }\n");
    long t = System.nanoTime();
    try { bad = MeshgateProcess.start(work.resolve("bad"), work); } finally { System.out.println("bad start took ms " + (System.nanoTime() - t) / 1_000_000); }
  }
}
