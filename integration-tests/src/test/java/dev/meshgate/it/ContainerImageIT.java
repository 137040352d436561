package dev.meshgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image the image module builds (Jib, OCI tarball, FROM scratch with a jlinked
 * runtime): its layout and config, the files its layers write, and its entry point run from the
 * unpacked layers. The run is inside a user namespace with the layers as its root ({@code unshare
 * --root}, as uid 10001), so only the image's own runtime and libraries can be loaded and nothing
 * but {@code /tmp} is writable; where user namespaces are not allowed it runs the unpacked runtime
 * directly and says so.
 */
class ContainerImageIT {
  private static final String UID = "10001";

  @TempDir static Path work;
  private static Properties image;
  private static OciImage oci;
  private static Map<String, OciImage.Entry> files;

  @BeforeAll
  static void unpack() throws IOException {
    image = new Properties();
    try (InputStream in =
        ContainerImageIT.class.getResourceAsStream("/META-INF/meshgate-image.properties")) {
      image.load(in);
    }
    Path tar = Path.of(image.getProperty("image.tar"));
    if (!Files.isRegularFile(tar)) {
      String missing =
          "no image tarball at " + tar + ": build it with ./mvnw -Pimage (CI=true turns it on)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(missing + " (CI=true: integration tests must not be skipped)");
      }
      Assumptions.abort(missing);
    }
    Path layout = Files.createDirectories(work.resolve("oci"));
    run(List.of("tar", "-xf", tar.toString(), "-C", layout.toString()));
    oci = new OciImage(layout);
    files =
        oci.entries().stream()
            .collect(
                Collectors.toMap(
                    e -> "/" + e.path().replaceFirst("^\\./", "").replaceFirst("/$", ""),
                    Function.identity(),
                    (a, b) -> b));
  }

  @Test
  void layoutIsAnOciImageNamedAsTheChartAndManifestsSayIt() throws IOException {
    assertTrue(
        Files.readString(oci.dir.resolve("oci-layout")).contains("\"imageLayoutVersion\""),
        "oci-layout");
    assertEquals(2, oci.index.path("schemaVersion").asInt());
    assertEquals(
        "application/vnd.oci.image.manifest.v1+json",
        oci.manifest.path("mediaType").asText(),
        oci.manifest.toString());
    assertEquals(
        "application/vnd.oci.image.config.v1+json", oci.manifest.at("/config/mediaType").asText());
    assertEquals("linux", oci.config.path("os").asText());
    assertEquals("amd64", oci.config.path("architecture").asText());
    String reference = image.getProperty("image.name") + ":" + image.getProperty("image.tag");
    assertTrue(
        oci.index.toString().contains(reference), "index names " + reference + ": " + oci.index);

    // One name and tag everywhere: the chart's appVersion, and the plain manifests rendered from
    // it.
    Path root = ProjectRoot.get();
    String chart = Files.readString(root.resolve("deploy/helm/meshgate/Chart.yaml"));
    assertTrue(
        chart.contains("appVersion: \"" + image.getProperty("image.tag") + "\""),
        "Chart.yaml's appVersion is the image tag " + image.getProperty("image.tag"));
    String values = Files.readString(root.resolve("deploy/helm/meshgate/values.yaml"));
    assertTrue(values.contains("repository: " + image.getProperty("image.name")), "values.yaml");
    String manifests = Files.readString(root.resolve("deploy/kubernetes/meshgate.yaml"));
    assertTrue(manifests.contains("image: " + reference), "deploy/kubernetes names " + reference);
    assertTrue(
        image.getProperty("image.version").startsWith(image.getProperty("image.tag")),
        "the tag is the project's version");
  }

  @Test
  void configRunsMeshgateAsNonRootWithLabelsAndATmpVolume() {
    JsonNode config = oci.config.path("config");
    assertEquals(UID + ":" + UID, config.path("User").asText());
    List<String> entrypoint = strings(config.path("Entrypoint"));
    assertEquals("/opt/java/bin/java", entrypoint.get(0));
    assertEquals("dev.meshgate.cli.Meshgate", entrypoint.get(entrypoint.size() - 1));
    assertTrue(entrypoint.contains("-Djava.io.tmpdir=/tmp"), entrypoint.toString());
    assertTrue(config.path("Volumes").has("/tmp"), config.toString());
    JsonNode labels = config.path("Labels");
    assertEquals(
        image.getProperty("image.version"),
        labels.path("org.opencontainers.image.version").asText());
    assertTrue(
        labels.path("org.opencontainers.image.source").asText().startsWith("https://"),
        labels.toString());
    // Jib's fixed creation time: the same inputs give the same config digest.
    assertEquals("1970-01-01T00:00:00Z", oci.config.path("created").asText());
  }

  @Test
  void layersHoldTheRuntimeAndWriteNothingTheUserCouldChange() {
    for (OciImage.Entry entry : files.values()) {
      assertEquals(0, entry.mode() & 0002, "world-writable: " + entry);
      assertEquals(0, entry.uid(), "owned by root, so uid " + UID + " cannot change it: " + entry);
      assertEquals(0, entry.gid(), "group root: " + entry);
    }
    for (String executable :
        List.of(
            "/opt/java/bin/java", "/opt/java/lib/jspawnhelper", "/lib64/ld-linux-x86-64.so.2")) {
      assertTrue(files.containsKey(executable), executable);
      assertEquals(0755, files.get(executable).mode() & 0777, executable);
    }
    for (String file :
        List.of(
            "/opt/java/lib/modules",
            "/opt/java/lib/server/libjvm.so",
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/etc/passwd",
            "/app/jib-classpath-file",
            "/usr/share/meshgate/native-libs.txt",
            "/usr/share/meshgate/examples/quickstart/quickstart.mesh")) {
      assertTrue(files.containsKey(file), file + " in " + files.size() + " entries");
    }
    assertTrue(
        files.keySet().stream().anyMatch(p -> p.matches("/app/libs/meshgate-cli-.*\\.jar")),
        "the cli jar");
  }

  @Test
  void entryPointRunsFromTheUnpackedLayers() throws IOException {
    Path rootfs = Files.createDirectories(work.resolve("rootfs"));
    for (Path layer : oci.layers) {
      // Jib's PAX headers carry libarchive's creation time, which GNU tar does not know.
      run(
          List.of(
              "tar",
              "--warning=no-unknown-keyword",
              "-xzf",
              layer.toString(),
              "-C",
              rootfs.toString()));
    }
    // Mount points a runtime provides: /proc, and /tmp (the declared volume, an emptyDir).
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("tmp"));
    run(List.of("chmod", "1777", rootfs.resolve("tmp").toString()));

    List<String> entrypoint = strings(oci.config.at("/config/Entrypoint"));
    Tools.Result version = inImage(rootfs, entrypoint, List.of("--version"));
    assertTrue(version.out().contains(image.getProperty("image.version")), version.toString());

    Tools.Result check =
        inImage(
            rootfs,
            entrypoint,
            List.of("check", "--color=never", "/usr/share/meshgate/examples/quickstart"));
    assertEquals(0, check.exit(), check.toString());
    // The quickstart checks clean (ExamplesTest holds every example to that).
    assertTrue(check.err().contains("ok: 1 file, no findings"), check.toString());
  }

  /**
   * Regression: the rootfs script failed with status 141 (SIGPIPE under pipefail) on a machine
   * whose {@code ldconfig -p} output is larger than a pipe buffer, because it stopped reading at
   * the first libgcc_s line. Here a stand-in ldconfig prints that line first and then 300 KB more.
   */
  @Test
  void rootfsScriptReadsALargeLdconfigCacheToTheEnd() throws IOException {
    Path bin = Files.createDirectories(work.resolve("fake-ldconfig"));
    Path ldconfig = bin.resolve("ldconfig");
    String gcc =
        Tools.run(
                Path.of("/"),
                List.of("bash", "-c", "ldconfig -p | grep -m1 'libgcc_s.so.1 .*x86-64' || true"))
            .out()
            .strip();
    Files.writeString(
        ldconfig,
        "#!/bin/bash\n"
            + "echo '"
            + gcc
            + "'\n"
            + "for i in $(seq 1 4000); do echo \"\tlibpadding$i.so.1 (libc6,x86-64) =>"
            + " /usr/lib/x86_64-linux-gnu/libpadding$i.so.1\"; done\n");
    ldconfig.toFile().setExecutable(true);
    Path out = work.resolve("rootfs-regression");
    List<String> command =
        List.of(
            "env",
            "PATH=" + bin + ":" + System.getenv("PATH"),
            ProjectRoot.get().resolve("scripts/image-rootfs.sh").toString(),
            System.getProperty("java.home"),
            out.toString(),
            "java.base");
    Tools.run(ProjectRoot.get(), command).requireOk(command);
    String libs = Files.readString(out.resolve("usr/share/meshgate/native-libs.txt"));
    assertTrue(libs.contains("libgcc_s.so.1"), libs);
  }

  /**
   * Runs the entry point with {@code args} inside a user namespace rooted at {@code rootfs} (uid
   * 10001, empty environment but the image's), or the unpacked runtime directly where that is not
   * allowed.
   */
  private static Tools.Result inImage(Path rootfs, List<String> entrypoint, List<String> args) {
    List<String> env = new ArrayList<>(List.of("env", "-i"));
    oci.config.at("/config/Env").forEach(e -> env.add(e.asText()));
    List<String> chroot = new ArrayList<>(env);
    // An absolute path: env -i searches the image's PATH, not this machine's.
    String unshare = Tools.find("unshare").map(Path::toString).orElse("/usr/bin/unshare");
    chroot.addAll(
        List.of(
            unshare,
            "--user",
            "--map-user=" + UID,
            "--map-group=" + UID,
            "--mount",
            "--pid",
            "--fork",
            "--mount-proc=/proc",
            "--root=" + rootfs));
    chroot.addAll(entrypoint);
    chroot.addAll(args);
    Tools.Result result = Tools.run(rootfs, chroot);
    if (result.exit() != 0 && result.err().startsWith("unshare:")) {
      System.err.println(
          "ContainerImageIT: no user namespace here ("
              + result.err().strip()
              + "); running the unpacked runtime directly");
      List<String> direct = new ArrayList<>(env);
      for (String arg : entrypoint) {
        direct.add(
            arg.startsWith("/")
                ? rootfs + arg
                : arg.startsWith("@/") ? classPath(rootfs, arg) : arg);
      }
      direct.addAll(args);
      return Tools.run(rootfs, direct);
    }
    return result;
  }

  /** Jib's class path file ({@code @/app/jib-classpath-file}) with every entry under rootfs. */
  private static String classPath(Path rootfs, String argFile) {
    try {
      return java.util.Arrays.stream(
              Files.readString(rootfs.resolve(argFile.substring(2))).strip().split(":"))
          .map(entry -> rootfs + entry)
          .collect(Collectors.joining(":"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void run(List<String> command) {
    Tools.run(Path.of("/"), command).requireOk(command);
  }
}
