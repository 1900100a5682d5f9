package dev.courier.codegen.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the rendered docs depend on besides the protos, as fingerprint lines: every default
 * template of {@code courier-templates} (read through {@code courier/templates/templates.list}) and
 * every file of the user's template directory, each with the SHA-256 of its content. Stateless.
 *
 * @since 0.1.0
 */
final class TemplateInputs {
  private static final String DEFAULTS = "courier/templates/";

  private TemplateInputs() {}

  /** {@code default:NAME sha} lines, then {@code user:PATH sha} lines, each sorted. */
  static List<String> fingerprintLines(DocsRequest docs) throws IOException {
    List<String> lines = new ArrayList<>();
    byte[] index = resource(DEFAULTS + "templates.list");
    lines.add("index " + (index == null ? "missing" : DependencyProtos.sha256(index)));
    if (index != null) {
      for (String name : new String(index, StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList()) {
        byte[] template = resource(DEFAULTS + name);
        lines.add("default:" + name + " " + (template == null ? "missing" : DependencyProtos.sha256(template)));
      }
    }
    if (docs.templateDirectory().isPresent()) {
      Path dir = docs.templateDirectory().get();
      lines.add("user-folder " + dir);
      for (Path file : userFiles(dir)) {
        lines.add("user:" + dir.relativize(file).toString().replace('\\', '/') + " "
            + DependencyProtos.sha256(Files.readAllBytes(file)));
      }
    }
    return lines;
  }

  private static List<Path> userFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = TemplateInputs.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    }
  }
}
