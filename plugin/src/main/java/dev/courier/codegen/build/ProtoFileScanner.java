package dev.courier.codegen.build;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
    this.includes = regexes(includes.isEmpty() ? List.of("**/*.proto") : includes);
    this.excludes = regexes(excludes);
  }

  /**
   * Returns the matching {@code .proto} files as {@code /}-separated paths relative to
   * {@code root}, sorted; empty when {@code root} does not exist.
   */
  public List<String> scan(Path root) throws IOException {
    List<String> matching = new ArrayList<>();
    for (String file : FileTrees.relativeFiles(root, ".proto")) {
      if (matches(file)) {
        matching.add(file);
      }
    }
    return List.copyOf(matching);
  }

  /** Whether a {@code /}-separated relative path is included and not excluded. */
  public boolean matches(String relativePath) {
    return anyMatches(includes, relativePath) && !anyMatches(excludes, relativePath);
  }

  private static boolean anyMatches(List<Pattern> patterns, String relativePath) {
    for (Pattern p : patterns) {
      if (p.matcher(relativePath).matches()) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> regexes(List<String> antPatterns) {
    List<Pattern> regexes = new ArrayList<>();
    for (String pattern : antPatterns) {
      regexes.add(toRegex(pattern));
    }
    return List.copyOf(regexes);
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
