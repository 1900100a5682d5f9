package dev.courier.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks of the goal's parameters before anything runs, for the values a new user gets by
 * accident: a boolean that is neither {@code true} nor {@code false} (Maven reads anything else as
 * false), and folders that would mix generated files with the project's own: an empty
 * {@code -Dcourier.outputDirectory=} is the project folder, an empty
 * {@code -Dcourier.protoSourceRoot=} scans {@code target/}. Each problem names the parameter, its
 * property and the fix. Pure: no IO, no Maven types.
 *
 * @since 0.1.0
 */
final class ParameterChecks {

  private ParameterChecks() {}

  /**
   * The value of a boolean parameter.
   *
   * @param name the parameter, such as {@code generateDocs}
   * @param value as configured, such as {@code "true"}
   * @throws IllegalArgumentException naming the parameter when the value is not a boolean
   */
  static boolean flag(String name, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException("Courier: " + name + " (-Dcourier." + name + ") is \"" + value
        + "\"; expected true or false");
  }

  /** One folder parameter: its name and value. */
  record Folder(String name, Path path) {
    Folder {
      path = path.toAbsolutePath().normalize();
    }
  }

  /**
   * Problems with the folders of one goal, empty when they are safe to use.
   *
   * @param basedir the project folder
   * @param buildDirectory {@code target/}
   * @param sourceRoot the {@code .proto} folder parameter
   * @param outputs the folders Courier writes to (and deletes its old files from)
   * @param inputs other folders Courier reads, such as the template directory
   * @param userProperties the {@code -D} properties, to tell an empty value from a chosen one
   */
  static List<String> folderProblems(Path basedir, Path buildDirectory, Folder sourceRoot, List<Folder> outputs,
      List<Folder> inputs, Map<String, String> userProperties) {
    Path project = basedir.toAbsolutePath().normalize();
    Path build = buildDirectory.toAbsolutePath().normalize();
    List<String> problems = new ArrayList<>();
    // A folder refused for itself is not compared with the others: that would only repeat it.
    List<Folder> refused = new ArrayList<>();
    if (project.startsWith(sourceRoot.path()) || build.startsWith(sourceRoot.path())) {
      problems.add(describe(sourceRoot, project, userProperties) + ", which holds " + where(build, project)
          + " too, so generated and extracted .proto files would be read as the project's own; set it to the"
          + " folder of your .proto files, such as ${project.basedir}/src/main/proto, or leave it out for that default");
      refused.add(sourceRoot);
    }
    for (Folder out : outputs) {
      if (project.startsWith(out.path())) {
        problems.add(describe(out, project, userProperties) + ": Courier would write its files among the project's"
            + " own (and delete them again on the next build); set it to a folder of its own below "
            + where(build, project) + ", or leave it out for the default");
        refused.add(out);
      }
    }
    for (Folder out : outputs) {
      if (refused.contains(out)) {
        continue;
      }
      List<Folder> others = new ArrayList<>(inputs);
      others.add(0, sourceRoot);
      for (Folder o : outputs) {
        if (o != out) {
          others.add(o);
        }
      }
      others.removeAll(refused);
      for (Folder other : others) {
        if (other.path().startsWith(out.path()) || out.path().startsWith(other.path())) {
          problems.add(describe(out, project, userProperties) + ", which overlaps " + other.name() + " ("
              + where(other.path(), project) + "); give " + out.name() + " a folder of its own");
          break;
        }
      }
    }
    return problems;
  }

  private static String describe(Folder folder, Path project, Map<String, String> userProperties) {
    String property = "courier." + folder.name();
    Optional<String> given = Optional.ofNullable(userProperties.get(property));
    String how = given.filter(String::isBlank).isPresent()
        ? " (from an empty -D" + property + "=, which Maven takes as the project folder)" : "";
    return "Courier: " + folder.name() + " (-D" + property + ") is " + where(folder.path(), project) + how;
  }

  private static String where(Path path, Path project) {
    if (path.equals(project)) {
      return path + " (the project folder)";
    }
    return path.toString();
  }
}
