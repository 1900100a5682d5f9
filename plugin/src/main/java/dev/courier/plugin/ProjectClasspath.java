package dev.courier.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import dev.courier.codegen.build.ContentChecksum;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.DependencyManagement;
import org.apache.maven.model.Exclusion;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.DefaultDependencyResolutionRequest;
import org.apache.maven.project.DependencyResolutionException;
import org.apache.maven.project.DependencyResolutionResult;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.eclipse.aether.graph.DependencyFilter;
import org.eclipse.aether.graph.DependencyNode;

/**
 * The project's dependencies, in classpath order, resolved by the goal itself rather than by
 * Maven before it starts: a build where nothing changed then costs a few file attributes instead
 * of a resolution of the whole dependency graph (80 poms for a project on courier-runtime), which
 * is most of what a no-op build pays above {@code mvn validate}.
 *
 * <p>The last resolution is kept in the work folder with a digest of what decides it (the
 * project's declared dependencies and dependency management, with versions, scopes and exclusions)
 * and the size and time of every jar. It is used again only when that digest is the same, every
 * jar is unchanged, no version is a range, and, online, no version is a SNAPSHOT (a newer one may
 * be on the server); otherwise the goal resolves as Maven would. When Maven has resolved the
 * project already (an earlier goal asked for it), its artifacts are taken as they are.
 *
 * @since 0.1.0
 */
final class ProjectClasspath {

  /**
   * One resolved dependency: its file ({@code null} for one Maven resolved without a file, such as
   * a pom) and what the runtime check needs to know of it.
   */
  record Jar(Path file, String groupId, String artifactId, String version) {}

  private static final String FORMAT = "courier-classpath 2";

  private ProjectClasspath() {}

  /**
   * The dependencies of {@code project} for {@code scopes}.
   *
   * @param scopes the scopes to keep, such as compile, provided and system for main sources
   * @param stateFile where the last resolution is kept
   */
  static List<Jar> of(MavenProject project, MavenSession session, ProjectDependenciesResolver resolver,
      Set<String> scopes, Path stateFile) throws MojoFailureException {
    Set<Artifact> resolved = project.getArtifacts();
    if (resolved != null && !resolved.isEmpty()) {
      List<Jar> jars = new ArrayList<>();
      for (Artifact a : resolved) {
        if (a.getScope() == null || scopes.contains(a.getScope())) {
          jars.add(new Jar(a.getFile() == null ? null : a.getFile().toPath(), a.getGroupId(), a.getArtifactId(),
              a.getVersion()));
        }
      }
      return jars;
    }
    String declaration = declaration(project, scopes);
    boolean offline = session.isOffline();
    Optional<List<Jar>> kept = read(stateFile, declaration, offline);
    if (kept.isPresent()) {
      return kept.get();
    }
    List<Jar> jars = resolve(project, session, resolver, scopes);
    write(stateFile, declaration, jars);
    return jars;
  }

  /** What decides the resolution, as one line. */
  static String declaration(MavenProject project, Set<String> scopes) {
    StringBuilder sb = new StringBuilder(String.join(",", new java.util.TreeSet<>(scopes)));
    for (Dependency d : project.getDependencies()) {
      append(sb.append("|d:"), d);
    }
    DependencyManagement managed = project.getDependencyManagement();
    if (managed != null) {
      for (Dependency d : managed.getDependencies()) {
        append(sb.append("|m:"), d);
      }
    }
    return new ContentChecksum().add(sb.toString()).hex();
  }

  private static void append(StringBuilder sb, Dependency d) {
    sb.append(d.getGroupId()).append(':').append(d.getArtifactId()).append(':').append(d.getType()).append(':')
        .append(d.getClassifier()).append(':').append(d.getVersion()).append(':').append(d.getScope()).append(':')
        .append(d.isOptional()).append(':').append(d.getSystemPath());
    for (Exclusion e : d.getExclusions()) {
      sb.append(":x=").append(e.getGroupId()).append('/').append(e.getArtifactId());
    }
  }

  private static List<Jar> resolve(MavenProject project, MavenSession session, ProjectDependenciesResolver resolver,
      Set<String> scopes) throws MojoFailureException {
    DefaultDependencyResolutionRequest request =
        new DefaultDependencyResolutionRequest(project, session.getRepositorySession());
    request.setResolutionFilter(new InScope(scopes));
    DependencyResolutionResult result;
    try {
      result = resolver.resolve(request);
    } catch (DependencyResolutionException e) {
      throw new MojoFailureException("Courier: could not resolve the dependencies of " + project.getId()
          + ", which .proto imports may come from: " + e.getMessage(), e);
    }
    List<Jar> jars = new ArrayList<>();
    for (org.eclipse.aether.graph.Dependency d : result.getDependencies()) {
      org.eclipse.aether.artifact.Artifact a = d.getArtifact();
      if (a.getFile() != null && scopes.contains(d.getScope())) {
        jars.add(new Jar(a.getFile().toPath(), a.getGroupId(), a.getArtifactId(), a.getVersion()));
      }
    }
    return jars;
  }

  /** Keeps the dependencies of the goal's scopes (a class, not a lambda, which a cold JVM would spin). */
  private record InScope(Set<String> scopes) implements DependencyFilter {
    @Override
    public boolean accept(DependencyNode node, List<DependencyNode> parents) {
      return node.getDependency() == null || scopes.contains(node.getDependency().getScope());
    }
  }

  private static Optional<List<Jar>> read(Path stateFile, String declaration, boolean offline) {
    try {
      if (!Files.isRegularFile(stateFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
      if (lines.size() < 2 || !lines.get(0).equals(FORMAT) || !lines.get(1).equals(declaration)) {
        return Optional.empty();
      }
      List<Jar> jars = new ArrayList<>();
      for (String line : lines.subList(2, lines.size())) {
        String[] p = line.split("\t", -1);
        if (p.length != 6) {
          return Optional.empty();
        }
        Path file = Path.of(p[0]);
        if (!unchanged(file, Long.parseLong(p[1]), Long.parseLong(p[2]))
            || p[5].contains("[") || p[5].contains("(") || (!offline && p[5].endsWith("-SNAPSHOT"))) {
          return Optional.empty();
        }
        jars.add(new Jar(file, p[3], p[4], p[5]));
      }
      return Optional.of(jars);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // resolve again: the state only saves time
    }
  }

  private static boolean unchanged(Path file, long size, long modified) throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return attributes.size() == size && attributes.lastModifiedTime().toMillis() == modified;
  }

  private static void write(Path stateFile, String declaration, List<Jar> jars) throws MojoFailureException {
    List<String> lines = new ArrayList<>(List.of(FORMAT, declaration));
    try {
      for (Jar jar : jars) {
        BasicFileAttributes a = Files.readAttributes(jar.file(), BasicFileAttributes.class);
        lines.add(jar.file() + "\t" + a.size() + "\t" + a.lastModifiedTime().toMillis() + "\t" + jar.groupId() + "\t"
            + jar.artifactId() + "\t" + jar.version());
      }
      Files.createDirectories(stateFile.getParent());
      Files.write(stateFile, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoFailureException("Courier: could not write " + stateFile + ": " + e.getMessage(), e);
    }
  }
}
