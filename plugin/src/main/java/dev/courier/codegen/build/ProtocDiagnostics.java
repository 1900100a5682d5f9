package dev.courier.codegen.build;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.courier.codegen.model.StatusCodeNames;
import dev.courier.codegen.model.Suggestions;
import dev.courier.options.ServiceOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns protoc's error output into lines a user can act on: protoc's own
 * {@code /abs/path/file.proto:line:col: message} lines are kept as they are (IDEs link them), and
 * a hint follows the ones Courier can explain (an import that was not found, an unknown option).
 * Stateless.
 *
 * @since 0.1.0
 */
final class ProtocDiagnostics {

  private static final Pattern LOCATED = Pattern.compile("^(.+?):(\\d+):(\\d+): (.*)$");
  private static final Pattern NOT_FOUND = Pattern.compile("^(.+): File not found\\.$");
  private static final Pattern IMPORT_FAILED =
      Pattern.compile("^Import \"(.+)\" was not found or had errors\\.$");
  private static final Pattern UNKNOWN_OPTION = Pattern.compile("^Option \"\\((.+?)\\)[^\"]*\" unknown\\..*$");
  private static final Pattern NO_SUCH_FIELD =
      Pattern.compile("^.*Message type \"(courier\\.\\w+)\" has no field named \"(\\w+)\"\\.?$");
  private static final Pattern BARE_IDENTIFIER = Pattern.compile("^.*Expected string, got: ([A-Za-z_]+)$");
  private static final Pattern QUOTED_ENUM = Pattern.compile("^.*Expected integer or identifier, got: \"([A-Za-z_]+)\"$");
  private static final Pattern IMPORTS_COURIER_OPTIONS =
      Pattern.compile("(?m)^\\s*import\\s+(public\\s+|weak\\s+)?\"courier/options\\.proto\"\\s*;");
  /** courier/options.proto as compiled into the plugin: the option messages and extensions it declares. */
  private static final FileDescriptor COURIER_OPTIONS = ServiceOptions.getDescriptor().getFile();

  private ProtocDiagnostics() {}

  /**
   * The exception for a failed protoc run.
   *
   * @param lines protoc's output, one entry per line
   * @param importPath the folders protoc searched, for the hint on missing imports
   * @param exitCode protoc's exit code
   */
  public static BuildException failure(List<String> lines, List<Path> importPath, int exitCode) {
    Set<String> notFound = new LinkedHashSet<>();
    for (String line : lines) {
      Matcher m = NOT_FOUND.matcher(line);
      if (m.matches()) {
        notFound.add(m.group(1));
      }
    }
    List<String> details = new ArrayList<>();
    Set<String> files = new LinkedHashSet<>();
    int errors = 0;
    for (String line : lines) {
      Matcher located = LOCATED.matcher(line);
      if (located.matches()) {
        errors++;
        files.add(located.group(1));
        details.add(line);
        String hint = hint(located.group(1), located.group(2), located.group(4), notFound, importPath);
        if (hint != null) {
          details.add("  " + hint);
        }
      } else if (!NOT_FOUND.matcher(line).matches()) {
        details.add(line);
        errors++;
      }
    }
    if (details.isEmpty()) {
      details.add("protoc exited with code " + exitCode + " and printed nothing");
    }
    String summary = String.format(
        "Courier: protoc failed with %d error(s) in %d .proto file(s); fix the lines above and build again",
        Math.max(errors, 1), Math.max(files.size(), 1));
    return new BuildException(summary, details);
  }

  private static String hint(String file, String line, String message, Set<String> notFound,
      List<Path> importPath) {
    Matcher importFailed = IMPORT_FAILED.matcher(message);
    if (importFailed.matches() && notFound.contains(importFailed.group(1))) {
      return missingImport(importFailed.group(1), file + ":" + line, importPath);
    }
    Matcher option = UNKNOWN_OPTION.matcher(message);
    if (option.matches()) {
      String name = option.group(1);
      if (name.startsWith("courier.") || name.startsWith(".courier.")) {
        return unknownCourierOption(name, file, importPath);
      }
      return "Courier: option (" + name + ") is not defined in any file " + file + " imports: "
          + "import the .proto file that declares the extension " + name;
    }
    Matcher field = NO_SUCH_FIELD.matcher(message);
    if (field.matches()) {
      return noSuchField(field.group(1), field.group(2));
    }
    Matcher bare = BARE_IDENTIFIER.matcher(message);
    if (bare.matches() && StatusCodeNames.ALL.contains(bare.group(1))) {
      return "Courier: retry.retryable_codes takes status code names as strings: write retryable_codes: [\""
          + bare.group(1) + "\"] (quoted), or retry_on: [" + bare.group(1) + "], which takes them unquoted";
    }
    Matcher quoted = QUOTED_ENUM.matcher(message);
    if (quoted.matches() && StatusCodeNames.ALL.contains(quoted.group(1))) {
      return "Courier: retry.retry_on takes status codes unquoted: write retry_on: [" + quoted.group(1)
          + "], or retryable_codes: [\"" + quoted.group(1) + "\"], which takes them as quoted strings";
    }
    return null;
  }

  /** A misspelt field of one of Courier's option messages: the nearest field name, and all of them. */
  private static String noSuchField(String type, String wrong) {
    Descriptor descriptor = COURIER_OPTIONS.findMessageTypeByName(type.substring("courier.".length()));
    if (descriptor == null) {
      return null;
    }
    List<String> fields = descriptor.getFields().stream().map(FieldDescriptor::getName).toList();
    String nearest = Suggestions.closest(wrong, fields).map(f -> "did you mean \"" + f + "\"? ").orElse("");
    return "Courier: " + nearest + type + " has the fields " + String.join(", ", fields);
  }

  /**
   * An unknown {@code (courier.x)}: either courier/options.proto is not imported, or it is and the
   * extension name is misspelt.
   */
  private static String unknownCourierOption(String name, String file, List<Path> importPath) {
    List<String> extensions = COURIER_OPTIONS.getExtensions().stream().map(FieldDescriptor::getFullName).toList();
    String bare = name.startsWith(".") ? name.substring(1) : name;
    if (!importsCourierOptions(file, importPath)) {
      return "Courier: option (" + bare + ") is defined in courier/options.proto: add "
          + "import \"courier/options.proto\"; to " + file;
    }
    String nearest = Suggestions.closest(bare, extensions).map(e -> "did you mean (" + e + ")? ").orElse("");
    return "Courier: " + nearest + "courier/options.proto, which " + file + " imports, defines only "
        + extensions.stream().map(e -> "(" + e + ")").collect(Collectors.joining(" and "));
  }

  private static boolean importsCourierOptions(String file, List<Path> importPath) {
    Path path = Path.of(file);
    if (!path.isAbsolute() && !importPath.isEmpty()) {
      path = importPath.get(0).resolve(path);
    }
    try {
      return IMPORTS_COURIER_OPTIONS.matcher(Files.readString(path, StandardCharsets.UTF_8)).find();
    } catch (IOException | RuntimeException e) {
      return false; // cannot tell: the import hint is the likelier one
    }
  }

  static String missingImport(String imported, String where, List<Path> importPath) {
    StringBuilder sb = new StringBuilder("Courier: import \"").append(imported)
        .append("\" (from ").append(where).append(") was not found in ")
        .append(importPath).append("; ");
    if (imported.startsWith("google/protobuf/")) {
      sb.append("it is not one of the well-known types bundled with protobuf-java: check its name");
    } else if (imported.startsWith("google/api/") || imported.startsWith("google/type/")
        || imported.startsWith("google/rpc/") || imported.startsWith("google/longrunning/")) {
      sb.append("add the dependency com.google.api.grpc:proto-google-common-protos to the project");
    } else {
      sb.append("add the dependency whose jar contains ").append(imported)
          .append(", or put the file under ").append(importPath.isEmpty() ? "the proto source root" : importPath.get(0));
    }
    return sb.toString();
  }
}
