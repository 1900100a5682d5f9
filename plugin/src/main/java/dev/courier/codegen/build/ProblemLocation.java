package dev.courier.codegen.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one problem line of a {@link BuildException} points, for IDEs that show problems as
 * markers on the file: protoc's {@code /abs/file.proto:line:col: message}, Courier's
 * {@code shop/file.proto:line: service ...: message} (a path relative to the proto source root)
 * and {@code template service/x.ftl, line N: message} (a template of the user's template
 * directory; Courier's own templates have no file to mark). Immutable.
 *
 * @param file the file to mark, absolute
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param message the problem without its location prefix
 * @since 0.1.0
 */
public record ProblemLocation(Path file, int line, int column, String message) {

  private static final Pattern PROTOC = Pattern.compile("^(.+?\\.proto):(\\d+):(\\d+): (.*)$");
  private static final Pattern COURIER = Pattern.compile("^(.+?\\.proto):(\\d+):? (.*)$");
  private static final Pattern TEMPLATE = Pattern.compile("^template (\\S+?), line (\\d+): (.*)$");

  public ProblemLocation {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The location of {@code line}, or empty when it names no file Courier can point at (hints,
   * summaries, Courier's own templates).
   *
   * @param protoSourceRoot resolves the relative {@code .proto} paths of Courier's problems
   * @param templateDirectory resolves template names; empty when there are no user templates
   */
  public static Optional<ProblemLocation> parse(String line, Path protoSourceRoot, Optional<Path> templateDirectory) {
    Matcher protoc = PROTOC.matcher(line);
    if (protoc.matches()) {
      return Optional.of(new ProblemLocation(resolve(protoSourceRoot, protoc.group(1)),
          Integer.parseInt(protoc.group(2)), Integer.parseInt(protoc.group(3)), protoc.group(4)));
    }
    Matcher courier = COURIER.matcher(line);
    if (courier.matches()) {
      return Optional.of(new ProblemLocation(resolve(protoSourceRoot, courier.group(1)),
          Integer.parseInt(courier.group(2)), 0, courier.group(3)));
    }
    Matcher template = TEMPLATE.matcher(line);
    if (template.matches() && templateDirectory.isPresent()) {
      Path file = templateDirectory.get().resolve(template.group(1)).normalize();
      if (file.startsWith(templateDirectory.get()) && Files.isRegularFile(file)) {
        return Optional.of(new ProblemLocation(file, Integer.parseInt(template.group(2)), 0, template.group(3)));
      }
    }
    return Optional.empty();
  }

  private static Path resolve(Path protoSourceRoot, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p.normalize() : protoSourceRoot.resolve(p).normalize();
  }
}
