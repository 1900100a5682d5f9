package dev.courier.plugin;

import dev.courier.codegen.build.BuildException;
import dev.courier.codegen.build.ProtocPlatform;
import dev.courier.codegen.build.ProtocSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * protoc as the Maven artifact {@code com.google.protobuf:protoc:<version>:exe:<os>-<arch>},
 * resolved through the project's remote repositories and run where the local repository keeps it,
 * made executable there (as ascopes' protobuf-maven-plugin does); copied, executable, into
 * {@code target/courier/protoc/} only when the repository's file cannot be made executable (a
 * read-only repository, or another user's). Immutable.
 *
 * @since 0.1.0
 */
final class MavenProtocSource implements ProtocSource {

  private final RepositorySystem system;
  private final RepositorySystemSession session;
  private final List<RemoteRepository> repositories;
  private final String version;
  private final Path targetDirectory;
  private final Optional<String> classifier;

  MavenProtocSource(RepositorySystem system, RepositorySystemSession session,
      List<RemoteRepository> repositories, String version, Path targetDirectory) {
    this.system = system;
    this.session = session;
    this.repositories = List.copyOf(repositories);
    this.version = version;
    this.targetDirectory = targetDirectory;
    this.classifier = ProtocPlatform.current();
  }

  @Override
  public String id() {
    return coordinates(classifier.orElse("unsupported"));
  }

  @Override
  public Path resolve() throws BuildException {
    if (classifier.isEmpty()) {
      throw new BuildException(ProtocPlatform.unsupportedMessage(
          System.getProperty("os.name"), System.getProperty("os.arch")));
    }
    String platform = classifier.get();
    Path artifact;
    try {
      ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(coordinates(platform)), repositories, null);
      artifact = system.resolveArtifact(session, request).getArtifact().getFile().toPath();
    } catch (ArtifactResolutionException e) {
      throw new BuildException("Courier: could not resolve " + coordinates(platform) + ": " + e.getMessage()
          + " (check <protocVersion>, or set <protocExecutable> to a local protoc)", e);
    }
    try {
      return executable(artifact, targetDirectory.resolve("protoc-" + version + "-" + platform + ".exe"));
    } catch (IOException e) {
      throw new BuildException("Courier: could not copy protoc to " + targetDirectory + ": " + e.getMessage(), e);
    }
  }

  private String coordinates(String platform) {
    return "com.google.protobuf:protoc:exe:" + platform + ":" + version;
  }

  /**
   * {@code artifact} itself once it is executable, or, when it cannot be made so, {@link
   * #copyExecutable its copy} at {@code copy}. Running it in place spares a clean build copying
   * 10 MB of protoc (and a temporary file's {@code SecureRandom}, which a cold JVM sets up at a
   * cost) every time.
   */
  static Path executable(Path artifact, Path copy) throws IOException {
    if (Files.isExecutable(artifact) || artifact.toFile().setExecutable(true)) {
      return artifact;
    }
    return copyExecutable(artifact, copy);
  }

  /** Copies {@code source} to {@code target} unless an equal-sized copy is there, then marks it executable. */
  static Path copyExecutable(Path source, Path target) throws IOException {
    if (!Files.isRegularFile(target) || Files.size(target) != Files.size(source)) {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), "protoc", ".tmp");
      Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    if (!Files.isExecutable(target) && !target.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + target + " executable");
    }
    return target;
  }
}
