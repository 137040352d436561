package dev.meshgate.cli.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where {@code serve --bundle} gets the bundle: a file, read again when its size or modification
 * time changes, or an http(s) URL, asked again with {@code If-None-Match} / {@code
 * If-Modified-Since} so an unchanged bundle costs a 304.
 */
public abstract sealed class BundleSource permits BundleSource.FileSource, BundleSource.UrlSource {

  /** What a poll found: nothing new, or these bytes. */
  public sealed interface Fetched {}

  /** The same bundle as last time. */
  public record Unchanged() implements Fetched {}

  /** A bundle's bytes (perhaps the same as before: the caller compares hashes). */
  public record Bytes(byte[] bytes) implements Fetched {}

  /** {@code http://} or {@code https://} is a URL; anything else is a file. */
  public static BundleSource of(String where) {
    String lower = where.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return new UrlSource(URI.create(where));
    }
    return new FileSource(Path.of(where));
  }

  /**
   * The bundle, or {@link Unchanged} when it has not changed since the last successful fetch.
   *
   * @throws BundleException when it cannot be fetched; the next fetch then fetches it whole
   */
  public abstract Fetched fetch() throws BundleException;

  /** Forget what the last fetch saw, so that the next one returns the bytes. */
  public abstract void forget();

  static final class FileSource extends BundleSource {
    private final Path file;
    private Optional<String> seen = Optional.empty();

    FileSource(Path file) {
      this.file = file;
    }

    @Override
    public Fetched fetch() throws BundleException {
      try {
        String stamp = Files.getLastModifiedTime(file) + " " + Files.size(file);
        if (seen.isPresent() && seen.get().equals(stamp)) {
          return new Unchanged();
        }
        if (Files.size(file) > Bundle.MAX_BYTES) {
          throw new BundleException("bundle " + file + " is bigger than " + Bundle.MAX_BYTES);
        }
        byte[] bytes = Files.readAllBytes(file);
        seen = Optional.of(stamp);
        return new Bytes(bytes);
      } catch (NoSuchFileException e) {
        seen = Optional.empty();
        throw new BundleException("cannot read bundle " + file + ": no such file");
      } catch (IOException e) {
        seen = Optional.empty();
        throw new BundleException("cannot read bundle " + file + ": " + e.getMessage());
      }
    }

    @Override
    public void forget() {
      seen = Optional.empty();
    }

    @Override
    public String toString() {
      return file.toString();
    }
  }

  static final class UrlSource extends BundleSource {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final URI uri;
    private final HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private Optional<String> etag = Optional.empty();
    private Optional<String> lastModified = Optional.empty();

    UrlSource(URI uri) {
      this.uri = uri;
    }

    @Override
    public Fetched fetch() throws BundleException {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
      etag.ifPresent(e -> request.header("If-None-Match", e));
      lastModified.ifPresent(m -> request.header("If-Modified-Since", m));
      HttpResponse<InputStream> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        forget();
        throw new BundleException("cannot fetch bundle " + uri + ": " + describe(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BundleException("interrupted while fetching bundle " + uri);
      }
      try (InputStream body = response.body()) {
        if (response.statusCode() == 304) {
          return new Unchanged();
        }
        if (response.statusCode() != 200) {
          forget();
          throw new BundleException(
              "cannot fetch bundle " + uri + ": HTTP " + response.statusCode());
        }
        byte[] bytes = body.readNBytes(Bundle.MAX_BYTES + 1);
        if (bytes.length > Bundle.MAX_BYTES) {
          forget();
          throw new BundleException("bundle " + uri + " is bigger than " + Bundle.MAX_BYTES);
        }
        etag = response.headers().firstValue("ETag");
        lastModified = response.headers().firstValue("Last-Modified");
        return new Bytes(bytes);
      } catch (IOException e) {
        forget();
        throw new BundleException("cannot fetch bundle " + uri + ": " + describe(e));
      }
    }

    @Override
    public void forget() {
      etag = Optional.empty();
      lastModified = Optional.empty();
    }

    private static String describe(IOException e) {
      String message = e.getMessage();
      return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    @Override
    public String toString() {
      return uri.toString();
    }
  }
}
