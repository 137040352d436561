package dev.meshgate.xds.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA directory's files: private directories, files replaced whole through a rename and created
 * with their final permissions, and a warning when the CA key is readable by others.
 */
final class CaFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthority.class);

  private CaFiles() {}

  static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix()) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Writes through a temporary file created with its final permissions, then a rename. */
  static void writeAtomically(Path file, String content, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp;
    if (posix()) {
      tmp =
          Files.createTempFile(
              dir,
              "." + file.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(
                  PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    } else {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    }
    try {
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } catch (IOException | UncheckedIOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  static void warnIfReadableByOthers(Path keyFile) {
    if (!posix()) {
      return;
    }
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(keyFile);
      if (!p.isEmpty()
          && Arrays.stream(
                  new PosixFilePermission[] {
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ
                  })
              .anyMatch(p::contains)) {
        LOG.warn(
            "{} is readable by other users (mode {}); it signs every identity in the mesh: chmod 600 it",
            keyFile,
            PosixFilePermissions.toString(p));
      }
    } catch (IOException | UnsupportedOperationException e) {
      // cannot tell; nothing to warn about
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
