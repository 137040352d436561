package dev.meshgate.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files replaced whole through a rename; those that hold a secret are readable and writable by
 * their owner only, from the first byte.
 */
final class PrivateFiles {
  private PrivateFiles() {}

  /**
   * Writes {@code text} to {@code file} through a temporary sibling (created 0600, so the secret is
   * never readable by others, not even briefly) and a rename.
   *
   * @throws UserError (failure) when the file cannot be written
   */
  static void write(Path file, String text) {
    replace(file, file, text, PosixFilePermissions.fromString("rw-------"));
  }

  /**
   * Replaces {@code file} by {@code text} through a temporary sibling and a rename, so no reader
   * ever sees half a file; the temporary file is created 0600 and then given {@code permissions}
   * (on POSIX file systems). {@code shown} is the path named in an error.
   *
   * @throws UserError (failure) when the file cannot be written
   */
  static void replace(
      Path file, Path shown, String text, java.util.Set<PosixFilePermission> permissions) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
        Files.setPosixFilePermissions(tmp, permissions);
      }
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the write failure below is what matters.
        }
      }
      throw UserError.failure("cannot write " + shown + ": " + CompileCommand.describe(e));
    }
  }
}
