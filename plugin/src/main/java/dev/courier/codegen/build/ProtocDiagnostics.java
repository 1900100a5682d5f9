package dev.courier.codegen.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        return "Courier: option (" + name + ") is defined in courier/options.proto: add "
            + "import \"courier/options.proto\"; to " + file;
      }
      return "Courier: option (" + name + ") is not defined in any file " + file + " imports: "
          + "import the .proto file that declares the extension " + name;
    }
    return null;
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
