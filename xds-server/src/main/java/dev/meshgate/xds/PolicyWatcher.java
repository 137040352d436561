package dev.meshgate.xds;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the policy paths and calls {@code reload} when something changed: at once, or once things
 * have been quiet for the debounce time when one is set ({@link ReloadTrigger}). Directories are
 * watched recursively (new subdirectories too); a single file is watched through its parent
 * directory, so editors that save by writing a temporary file and renaming it over the original are
 * seen. Any event in a watched directory triggers a reload; the reload itself skips the compile
 * when no policy text changed, so unrelated files (editor swap files, siblings of a single policy
 * file) cost one read.
 *
 * <p>A root that disappears (a deleted policy directory) is looked for again every second and
 * watched as soon as it is back. Nothing that happens here stops the watcher thread.
 */
final class PolicyWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);
  private static final Duration ROOT_CHECK = Duration.ofSeconds(1);

  /** What a watched directory is watched for. */
  private record Watched(Path dir, Optional<Path> onlyFile) {}

  private final List<Path> roots;
  private final ReloadTrigger trigger;
  private final WatchService watchService;
  private final Map<WatchKey, Watched> keys = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  PolicyWatcher(List<Path> roots, Duration debounce, Runnable reload) throws IOException {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.trigger = new ReloadTrigger(debounce, reload);
    this.watchService = FileSystems.getDefault().newWatchService();
    registerRoots();
    this.thread = new Thread(this::loop, "meshgate-policy-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long nextRootCheck = System.nanoTime() + ROOT_CHECK.toNanos();
    while (!closed) {
      try {
        WatchKey key = watchService.poll(ROOT_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
          handle(key);
        }
        if (System.nanoTime() - nextRootCheck >= 0) {
          nextRootCheck = System.nanoTime() + ROOT_CHECK.toNanos();
          if (registerRoots()) {
            trigger(); // a root came back (or appeared): its content is new to us
          }
        }
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      } catch (RuntimeException | Error e) {
        LOG.error("policy watcher: unexpected failure, carrying on", e);
      }
    }
  }

  private void handle(WatchKey key) {
    Watched watched = keys.get(key);
    boolean relevant = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      if (watched == null) {
        continue;
      }
      if (event.kind() == OVERFLOW) {
        relevant = true; // events were lost: reload to be sure
        continue;
      }
      // Any event counts, even beside a single watched file: a Kubernetes ConfigMap volume
      // updates a file by swapping a "..data" symlink, so the file's own name never shows up.
      relevant = true;
      Path child = watched.dir().resolve((Path) event.context());
      if (watched.onlyFile().isEmpty()
          && event.kind() == ENTRY_CREATE
          && Files.isDirectory(child)) {
        registerTree(child); // files written into it before we watch it are found by the reload
      }
    }
    if (!key.reset()) {
      keys.remove(key); // the directory is gone; a deleted root is found again by registerRoots
      relevant |= watched != null;
    }
    if (relevant) {
      trigger();
    }
  }

  /** A reload {@code delay} from now, as if a file event came then. */
  void reloadAfter(Duration delay) {
    trigger.signalAfter(delay);
  }

  private void trigger() {
    if (!closed) {
      trigger.signal();
    }
  }

  /** Watches every root not watched yet; true if one was newly registered. */
  private boolean registerRoots() {
    boolean added = false;
    for (Path root : roots) {
      if (Files.isDirectory(root) && !isWatched(root)) {
        added |= registerTree(root);
      }
    }
    // Single files after directories: a directory watch already sees every file in it.
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        Path parent = root.getParent();
        if (parent != null && Files.isDirectory(parent) && !isWatched(parent)) {
          added |= register(parent, Optional.of(root));
        }
      }
    }
    return added;
  }

  private boolean isWatched(Path dir) {
    return keys.values().stream().anyMatch(w -> w.dir().equals(dir));
  }

  /**
   * Watches {@code dir} and every directory under it. Each directory is watched before its children
   * are listed: a subdirectory created meanwhile is then either in the listing or reported as an
   * event, never missed (as it could be between a walk and the registration).
   */
  private boolean registerTree(Path dir) {
    boolean added = false;
    if (!isWatched(dir)) {
      added = register(dir, Optional.empty());
    }
    List<Path> children = new ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      list.filter(Files::isDirectory).forEach(children::add);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot watch policy directory {}: {}", dir, e.toString());
    }
    for (Path child : children) {
      added |= registerTree(child);
    }
    return added;
  }

  private boolean register(Path dir, Optional<Path> onlyFile) {
    try {
      WatchKey key = dir.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      keys.put(key, new Watched(dir, onlyFile));
      LOG.debug("watching {}", dir);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot watch policy directory {}: {}", dir, e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      watchService.close();
    } catch (IOException e) {
      LOG.debug("closing the watch service", e);
    }
    thread.interrupt();
    trigger.close();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
