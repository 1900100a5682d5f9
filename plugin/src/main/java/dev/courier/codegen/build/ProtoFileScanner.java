package dev.courier.codegen.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the {@code .proto} files below a folder that match Ant-style include and exclude patterns
 * ({@code **} any folders, {@code *} any characters but {@code /}, {@code ?} one character; a
 * pattern ending in {@code /} means everything below). Stateless and thread-safe.
 *
 * @since 0.1.0
 */
final class ProtoFileScanner {

  private final List<Pattern> includes;
  private final List<Pattern> excludes;

  /** A scanner for the given patterns; an empty include list means {@code **}{@code /*.proto}. */
  public ProtoFileScanner(List<String> includes, List<String> excludes) {
    this.includes = (includes.isEmpty() ? List.of("**/*.proto") : includes).stream()
        .map(ProtoFileScanner::toRegex).toList();
    this.excludes = excludes.stream().map(ProtoFileScanner::toRegex).toList();
  }

  /**
   * Returns the matching {@code .proto} files as {@code /}-separated paths relative to
   * {@code root}, sorted; empty when {@code root} does not exist.
   */
  public List<String> scan(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> p.endsWith(".proto"))
          .filter(this::matches)
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Whether a {@code /}-separated relative path is included and not excluded. */
  public boolean matches(String relativePath) {
    return includes.stream().anyMatch(p -> p.matcher(relativePath).matches())
        && excludes.stream().noneMatch(p -> p.matcher(relativePath).matches());
  }

  static Pattern toRegex(String antPattern) {
    String pattern = antPattern.trim().replace('\\', '/');
    if (pattern.endsWith("/")) {
      pattern = pattern + "**";
    }
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (pattern.startsWith("**/", i)) {
        regex.append("(?:.*/)?");
        i += 3;
      } else if (pattern.startsWith("**", i)) {
        regex.append(".*");
        i += 2;
      } else if (c == '*') {
        regex.append("[^/]*");
        i++;
      } else if (c == '?') {
        regex.append("[^/]");
        i++;
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return Pattern.compile(regex.toString());
  }
}
