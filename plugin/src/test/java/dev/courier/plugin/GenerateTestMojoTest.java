package dev.courier.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Build;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code courier:generate-test} in the harness: {@code src/test/proto} into generated test
 * sources, registered as a test compile source root, imports from {@code src/main/proto} without
 * generating them, state in {@code target/courier-test}, and no docs.
 */
@MojoTest
class GenerateTestMojoTest {

  private static final File PROTOC = new File(System.getProperty("courier.test.protoc"));

  @Inject private MavenProject project;

  private final List<String> testSourceRoots = new ArrayList<>();
  private Path basedir;

  @BeforeEach
  void stubProject() throws Exception {
    PROTOC.setExecutable(true);
    basedir = Path.of(MojoExtension.getBasedir());
    GenerateMojoTest.delete(basedir.resolve("target"));
    Build build = new Build();
    build.setDirectory(basedir.resolve("target").toString());
    when(project.getBasedir()).thenReturn(basedir.toFile());
    when(project.getBuild()).thenReturn(build);
    when(project.getArtifacts()).thenReturn(Set.of(new DefaultArtifact("dev.courier", "courier-runtime", "1", "compile",
        "jar", null, new DefaultArtifactHandler("jar"))));
    when(project.getRemoteProjectRepositories()).thenReturn(List.of());
    doAnswer(call -> testSourceRoots.add(call.getArgument(0))).when(project).addTestCompileSourceRoot(anyString());
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate-test")
  void generatesTestProtosIntoGeneratedTestSourcesImportingMainProtos(GenerateTestMojo mojo) throws Exception {
    GenerateMojoTest.useTestProtoc(mojo);

    mojo.execute();

    Path out = basedir.resolve("target/generated-test-sources/courier");
    assertThat(out.resolve("com/example/demo/testing/ProbeClient.java")).exists();
    assertThat(out.resolve("com/example/demo/Hello.java")).as("main messages are not generated again").doesNotExist();
    assertThat(testSourceRoots).containsExactly(out.toString());
    verify(project, never()).addCompileSourceRoot(anyString());
    assertThat(basedir.resolve("target/courier-test/fingerprint.txt")).exists();
    assertThat(basedir.resolve("target/courier")).as("generate's work folder is left alone").doesNotExist();
    assertThat(basedir.resolve("target/generated-resources")).as("no docs for test protos").doesNotExist();
  }
}
