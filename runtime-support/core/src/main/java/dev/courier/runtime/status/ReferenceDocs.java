package dev.courier.runtime.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference page the Courier plugin generates for a service ({@code <proto package as
 * folders>/<Service>-reference.html}, under {@code target/generated-resources/courier}), when the
 * application ships it on its classpath; the status page links and serves it. Only pages of the
 * services the server serves are looked up, at that one path each, so no other resource can be
 * read through the page. A page is read once and kept. Thread-safe.
 */
final class ReferenceDocs {
  private final ClassLoader loader;
  private final Map<String, Optional<byte[]>> pages = new ConcurrentHashMap<>();

  ReferenceDocs(ClassLoader loader) {
    this.loader = loader;
  }

  /** Where the plugin writes the reference page of {@code service} ({@code pkg.sub.Service}), as a resource name. */
  static String resourceName(String service) {
    int dot = service.lastIndexOf('.');
    String folder = dot < 0 ? "" : service.substring(0, dot).replace('.', '/') + "/";
    return folder + service.substring(dot + 1) + "-reference.html";
  }

  /** The generated reference page of {@code service}, if it is on the classpath. */
  Optional<byte[]> page(String service) {
    return pages.computeIfAbsent(service, s -> read(loader.getResource(resourceName(s))));
  }

  private static Optional<byte[]> read(URL url) {
    if (url == null) {
      return Optional.empty();
    }
    try (InputStream in = url.openStream()) {
      return Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the reference page " + url, e);
    }
  }
}
