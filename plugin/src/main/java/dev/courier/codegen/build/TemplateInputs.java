package dev.courier.codegen.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the rendered docs depend on besides the protos, as fingerprint lines: every default
 * template of {@code courier-templates} (read through {@code courier/templates/templates.list}) and
 * every file of the user's template directory, each with the {@link ContentChecksum} of its content. Stateless.
 *
 * @since 0.1.0
 */
final class TemplateInputs {
  private static final String DEFAULTS = "courier/templates/";

  private TemplateInputs() {}

  /** {@code default:NAME checksum} lines, then {@code user:PATH checksum} lines, each sorted. */
  static List<String> fingerprintLines(DocsRequest docs) throws IOException {
    List<String> lines = new ArrayList<>();
    byte[] index = resource(DEFAULTS + "templates.list");
    lines.add("index " + (index == null ? "missing" : ContentChecksum.of(index)));
    if (index != null) {
      List<String> names = new ArrayList<>();
      for (String line : new String(index, StandardCharsets.UTF_8).split("\n")) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(name);
        }
      }
      names.sort(null);
      for (String name : names) {
        byte[] template = resource(DEFAULTS + name);
        lines.add("default:" + name + " " + (template == null ? "missing" : ContentChecksum.of(template)));
      }
    }
    if (docs.templateDirectory().isPresent()) {
      Path dir = docs.templateDirectory().get();
      lines.add("user-folder " + dir);
      for (Path file : userFiles(dir)) {
        lines.add("user:" + dir.relativize(file).toString().replace('\\', '/') + " "
            + ContentChecksum.of(Files.readAllBytes(file)));
      }
    }
    return lines;
  }

  private static List<Path> userFiles(Path dir) throws IOException {
    return FileTrees.regularFiles(dir);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = TemplateInputs.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    }
  }
}
