package dev.courier.codegen.build;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;

/**
 * Lays out protoc's import path below the work folder, in the order protoc searches it:
 *
 * <ol>
 *   <li>the project's proto source root;
 *   <li>{@code dependency-protos/}: every {@code .proto} from the compile dependencies, the first
 *       copy of a path winning (so a user's own copy of {@code courier/options.proto} wins);
 *   <li>{@code builtin-protos/}: the well-known types ({@code google/protobuf/*.proto}, taken from
 *       the protobuf-java jar the plugin runs with, since protoc from Maven Central ships none) and
 *       {@code courier/options.proto}.
 * </ol>
 *
 * @since 0.1.0
 */
final class ImportPathLayout {

  /** Where the plugin jar keeps {@code courier/options.proto}. */
  static final String OPTIONS_RESOURCE = "META-INF/courier/proto/courier/options.proto";

  private final Path workDirectory;

  /** A layout below {@code workDirectory} (such as {@code target/courier}). */
  public ImportPathLayout(Path workDirectory) {
    this.workDirectory = workDirectory;
  }

  /** The folder with the protos extracted from dependencies. */
  public Path dependencyProtos() {
    return workDirectory.resolve("dependency-protos");
  }

  /** The folder with the well-known types and {@code courier/options.proto}. */
  public Path builtinProtos() {
    return workDirectory.resolve("builtin-protos");
  }

  /**
   * Extracts the imports afresh and returns the import path, in search order.
   *
   * @param protoSourceRoot the project's own protos, searched first
   * @param dependencyPaths jars or folders in classpath order
   */
  public ImportPath prepare(Path protoSourceRoot, List<Path> dependencyPaths) throws IOException {
    return prepare(protoSourceRoot, dependencyPaths, null);
  }

  /** As {@link #prepare(Path, List)}, telling {@code scans} (when not null) each jar's listing. */
  ImportPath prepare(Path protoSourceRoot, List<Path> dependencyPaths, DependencyScanCache scans) throws IOException {
    FileTrees.deleteRecursively(dependencyProtos());
    Files.createDirectories(dependencyProtos());
    int extracted = 0;
    for (Path dependency : dependencyPaths) {
      List<String> lines = new java.util.ArrayList<>();
      extracted += DependencyProtos.extract(dependency, dependencyProtos(), lines);
      if (scans != null) {
        scans.remember(dependency, lines);
      }
    }
    FileTrees.deleteRecursively(builtinProtos());
    Files.createDirectories(builtinProtos());
    Path protobufJar = protobufJavaLocation();
    DependencyProtos.extract(protobufJar, builtinProtos());
    Path options = builtinProtos().resolve("courier/options.proto");
    Files.createDirectories(options.getParent());
    Files.write(options, courierOptionsProto());
    return new ImportPath(List.of(protoSourceRoot, dependencyProtos(), builtinProtos()), extracted);
  }

  /** The text of {@code courier/options.proto} as bundled in the plugin. */
  static byte[] courierOptionsProto() throws IOException {
    try (InputStream in = ImportPathLayout.class.getClassLoader().getResourceAsStream(OPTIONS_RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + OPTIONS_RESOURCE + " is missing from the Courier plugin jar");
      }
      return in.readAllBytes();
    }
  }

  /** The protobuf-java jar (or class folder) on the plugin's own classpath. */
  static Path protobufJavaLocation() throws IOException {
    CodeSource source = Message.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new IOException("cannot locate the protobuf-java jar to take the well-known types from");
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("cannot locate the protobuf-java jar: " + source.getLocation(), e);
    }
  }

  /**
   * The folders protoc searches, in order.
   *
   * @param directories the {@code --proto_path} folders
   * @param dependencyProtoCount how many {@code .proto} files came from dependencies
   */
  public record ImportPath(List<Path> directories, int dependencyProtoCount) {
    public ImportPath {
      directories = List.copyOf(directories);
    }
  }
}
