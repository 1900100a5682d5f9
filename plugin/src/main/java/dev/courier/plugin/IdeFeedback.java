package dev.courier.plugin;

import dev.courier.codegen.build.BuildException;
import dev.courier.codegen.build.CodegenRequest;
import dev.courier.codegen.build.DocsRequest;
import dev.courier.codegen.build.ProblemLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.codehaus.plexus.build.BuildContext;

/**
 * What an IDE build (Eclipse m2e) needs from a run, through Plexus's {@link BuildContext}: skip
 * when no {@code .proto} or template changed, error markers on the lines protoc and Courier
 * complain about, and a refresh of the output folders so the IDE sees the new files. On the
 * command line the default context reports every file as changed and ignores markers and
 * refreshes, so this class changes nothing there.
 *
 * <p>Not thread-safe: one per Mojo execution.
 *
 * @since 0.1.0
 */
final class IdeFeedback {

  private final BuildContext context;

  IdeFeedback(BuildContext context) {
    this.context = context;
  }

  /** True on an incremental IDE build in which no input folder has a changed file. */
  boolean nothingChanged(CodegenRequest request) {
    if (!context.isIncremental()) {
      return false;
    }
    for (Path input : inputFolders(request)) {
      if (context.hasDelta(input.toFile())) {
        return false;
      }
    }
    return true;
  }

  /** Removes the markers of the last run from the project's {@code .proto} files and templates. */
  void clearMarkers(CodegenRequest request) {
    List<Path> own = new ArrayList<>();
    own.add(request.protoSourceRoot());
    request.docs().flatMap(DocsRequest::templateDirectory).ifPresent(own::add);
    for (Path input : own) {
      context.removeMessages(input.toFile());
      for (Path file : files(input)) {
        context.removeMessages(file.toFile());
      }
    }
  }

  /**
   * One error marker per located problem of {@code failure}; an indented hint line that follows
   * a problem is added to its message.
   */
  void mark(BuildException failure, CodegenRequest request) {
    Optional<Path> templates = request.docs().flatMap(DocsRequest::templateDirectory);
    List<ProblemLocation> problems = new ArrayList<>();
    for (String line : failure.details()) {
      Optional<ProblemLocation> located = ProblemLocation.parse(line, request.protoSourceRoot(), templates);
      if (located.isPresent()) {
        problems.add(located.get());
      } else if (line.startsWith(" ") && !problems.isEmpty()) {
        ProblemLocation last = problems.remove(problems.size() - 1);
        problems.add(new ProblemLocation(last.file(), last.line(), last.column(),
            last.message() + " (" + line.strip() + ")"));
      }
    }
    for (ProblemLocation p : problems) {
      context.addMessage(p.file().toFile(), p.line(), p.column(), p.message(), BuildContext.SEVERITY_ERROR, null);
    }
  }

  /** Tells the IDE that the output folders changed. */
  void refresh(CodegenRequest request) {
    context.refresh(request.outputDirectory().toFile());
    if (request.docs().isPresent()) {
      context.refresh(request.docs().get().outputDirectory().toFile());
    }
  }

  private static List<Path> inputFolders(CodegenRequest request) {
    List<Path> folders = new ArrayList<>();
    folders.add(request.protoSourceRoot());
    if (request.docs().isPresent() && request.docs().get().templateDirectory().isPresent()) {
      folders.add(request.docs().get().templateDirectory().get());
    }
    for (Path dependency : request.dependencyPaths()) {
      if (Files.isDirectory(dependency)) {
        folders.add(dependency);
      }
    }
    return folders;
  }

  private static List<Path> files(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of(); // markers are a convenience: never fail the build over them
    }
  }
}
