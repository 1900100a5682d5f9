package dev.courier.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codegen.build.BuildException;
import dev.courier.codegen.build.CodegenRequest;
import dev.courier.codegen.build.DocsRequest;
import dev.courier.codegen.build.ProtocSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.codehaus.plexus.build.BuildContext;
import org.codehaus.plexus.build.DefaultBuildContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Eclipse sees through {@link BuildContext}: skips, markers and refreshes. */
class IdeFeedbackTest {

  @TempDir Path temp;

  private final RecordingContext context = new RecordingContext();
  private CodegenRequest request;

  @BeforeEach
  void request() throws Exception {
    Path root = temp.resolve("src/main/proto");
    Files.createDirectories(root.resolve("shop"));
    Files.writeString(root.resolve("shop/item.proto"), "syntax = \"proto3\";");
    Path templates = temp.resolve("src/main/courier-templates");
    Files.createDirectories(templates.resolve("service"));
    Files.writeString(templates.resolve("service/x.md.ftl"), "${nope}");
    request = new CodegenRequest(root, List.of(), List.of(), temp.resolve("out"), temp.resolve("work"), List.of(),
        true, ProtocSource.local(Path.of("protoc")), "test")
        .withDocs(DocsRequest.of(temp.resolve("docs"), templates, "Courier test"));
  }

  @Test
  void theCommandLineNeverSkips() {
    assertThat(new IdeFeedback(context).nothingChanged(request)).isFalse();
  }

  @Test
  void anIncrementalBuildSkipsOnlyWhenNoProtoOrTemplateChanged() {
    context.incremental = true;
    IdeFeedback ide = new IdeFeedback(context);

    assertThat(ide.nothingChanged(request)).isTrue();

    context.changed.add(temp.resolve("src/main/courier-templates").toFile());
    assertThat(ide.nothingChanged(request)).isFalse();
  }

  @Test
  void protocAndCourierAndTemplateProblemsBecomeErrorMarkersWithTheirHints() {
    Path proto = temp.resolve("src/main/proto/shop/item.proto");
    BuildException failure = new BuildException("Courier: 3 problems", List.of(
        proto + ":7:3: Import \"x.proto\" was not found or had errors.",
        "  Courier: import \"x.proto\" (from " + proto + ":7) was not found; add the dependency",
        "shop/item.proto:9: service shop.Items, method Get: hash_key \"skew\" is not a field",
        "template service/x.md.ftl, line 1: ${nope} is missing or null"));

    new IdeFeedback(context).mark(failure, request);

    assertThat(context.markers).containsExactly(
        proto + ":7:3:2 Import \"x.proto\" was not found or had errors. (Courier: import \"x.proto\" (from "
            + proto + ":7) was not found; add the dependency)",
        proto + ":9:0:2 service shop.Items, method Get: hash_key \"skew\" is not a field",
        temp.resolve("src/main/courier-templates/service/x.md.ftl") + ":1:0:2 ${nope} is missing or null");
  }

  @Test
  void markersOfTheLastRunAreClearedFromProtosAndTemplates() {
    new IdeFeedback(context).clearMarkers(request);

    assertThat(context.cleared).contains(
        temp.resolve("src/main/proto/shop/item.proto").toFile(),
        temp.resolve("src/main/courier-templates/service/x.md.ftl").toFile());
  }

  @Test
  void bothOutputFoldersAreRefreshed() {
    new IdeFeedback(context).refresh(request);

    assertThat(context.refreshed).containsExactly(temp.resolve("out").toFile(), temp.resolve("docs").toFile());
  }

  /** Plexus's command-line context, recording what an IDE would be told. */
  private static final class RecordingContext extends DefaultBuildContext {
    boolean incremental;
    final Set<File> changed = new HashSet<>();
    final List<String> markers = new ArrayList<>();
    final List<File> cleared = new ArrayList<>();
    final List<File> refreshed = new ArrayList<>();

    RecordingContext() {
      super(new org.sonatype.plexus.build.incremental.DefaultBuildContext());
    }

    @Override
    public boolean isIncremental() {
      return incremental;
    }

    @Override
    public boolean hasDelta(File file) {
      return !incremental || changed.contains(file);
    }

    @Override
    public void addMessage(File file, int line, int column, String message, int severity, Throwable cause) {
      markers.add(file + ":" + line + ":" + column + ":" + severity + " " + message);
    }

    @Override
    public void removeMessages(File file) {
      cleared.add(file);
    }

    @Override
    public void refresh(File file) {
      refreshed.add(file);
    }
  }
}
