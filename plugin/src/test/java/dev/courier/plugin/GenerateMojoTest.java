package dev.courier.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.model.Build;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Mojo inside the harness's Maven container: parameter defaults ({@code ${project.basedir}},
 * {@code ${project.build.directory}}), compile source root registration, and failures mapped to
 * {@link MojoFailureException}. The project is the harness's Mockito mock, stubbed as a real
 * project would answer; each test's basedir is a folder of {@code src/test/resources/mojo/}. protoc
 * comes from {@code protocExecutable}, so nothing is resolved from the network.
 */
@MojoTest
class GenerateMojoTest {

  private static final File PROTOC = new File(System.getProperty("courier.test.protoc"));

  @Inject private MavenProject project;

  private final List<String> sourceRoots = new ArrayList<>();
  private Path basedir;

  @BeforeEach
  void stubProject() throws IOException {
    PROTOC.setExecutable(true);
    basedir = Path.of(MojoExtension.getBasedir());
    delete(basedir.resolve("target"));
    Build build = new Build();
    build.setDirectory(basedir.resolve("target").toString());
    when(project.getBasedir()).thenReturn(basedir.toFile());
    when(project.getBuild()).thenReturn(build);
    when(project.getArtifacts()).thenReturn(Set.of(artifact("com.google.protobuf", "protobuf-java"),
        artifact("dev.courier", "courier-runtime")));
    when(project.getRemoteProjectRepositories()).thenReturn(List.of());
    when(project.getCompileSourceRoots()).thenReturn(sourceRoots);
    doAnswer(call -> sourceRoots.add(call.getArgument(0))).when(project).addCompileSourceRoot(anyString());
  }

  @Test
  @Basedir("/mojo/messages")
  @InjectMojo(goal = "generate")
  void generatesIntoTheDefaultOutputFolderAndRegistersItAsASourceRoot(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    mojo.execute();

    Path out = basedir.resolve("target/generated-sources/courier");
    assertThat(out.resolve("com/example/demo/Greeting.java")).exists();
    assertThat(sourceRoots).containsExactly(out.toString());
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  void rendersDocsIntoTheResourcesFolderWithoutMakingItASourceOrResourceRoot(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    mojo.execute();

    Path docs = basedir.resolve("target/generated-resources/courier");
    assertThat(docs.resolve("demo/Greeter-reference.md")).content().contains("Says hello");
    assertThat(docs.resolve("demo/Greeter-reference.html")).exists();
    assertThat(docs.resolve("services.txt")).as("from src/main/courier-templates").hasContent("demo.Greeter");
    assertThat(sourceRoots).containsExactly(basedir.resolve("target/generated-sources/courier").toString());
    verify(project, never()).addResource(any());
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "generateDocs", value = "false")
  void generateDocsFalseRendersNoDocs(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    mojo.execute();

    assertThat(basedir.resolve("target/generated-sources/courier/com/example/demo/GreeterClient.java")).exists();
    assertThat(basedir.resolve("target/generated-resources")).doesNotExist();
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "templateDirectory", value = "${project.basedir}/no-such-folder")
  @MojoParameter(name = "resourcesOutputDirectory", value = "${project.build.directory}/docs")
  void aMissingTemplateDirectoryMeansTheDefaultsOnly(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    mojo.execute();

    Path docs = basedir.resolve("target/docs");
    assertThat(docs.resolve("demo/Greeter-config.properties")).exists();
    assertThat(docs.resolve("services.txt")).doesNotExist();
  }

  @Test
  @Basedir("/mojo/messages")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "generateMessages", value = "false")
  void generateMessagesFalseWritesNoMessageClasses(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    mojo.execute();

    assertThat(basedir.resolve("target/generated-sources/courier/com/example/demo/Greeting.java")).doesNotExist();
  }

  @Test
  @Basedir("/mojo/messages")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "skip", value = "true")
  void skipGeneratesNothingAndAddsNoSourceRoot(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    mojo.execute();

    assertThat(basedir.resolve("target")).doesNotExist();
    assertThat(sourceRoots).isEmpty();
  }

  @Test
  @Basedir("/mojo/empty")
  @InjectMojo(goal = "generate")
  void aMissingProtoSourceRootSucceedsWithoutASourceRoot(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    mojo.execute();

    assertThat(sourceRoots).isEmpty();
  }

  @Test
  @Basedir("/mojo/broken")
  @InjectMojo(goal = "generate")
  void aBrokenProtoFailsTheBuildWithTheSummaryLine(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("Courier: protoc failed with 1 error(s) in 1 .proto file(s)");
  }

  @Test
  @Basedir("/mojo/messages")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "protocExecutable", value = "/no/such/protoc")
  void aMissingProtocExecutableSaysWhatToDo(GenerateMojo mojo) {
    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("protocExecutable: /no/such/protoc")
        .hasMessageContaining("unset it to download protoc from Maven Central");
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "outputDirectory", value = "${project.basedir}")
  void anOutputDirectoryThatIsTheProjectFolderIsRefusedByName(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("Courier: outputDirectory (-Dcourier.outputDirectory) is " + basedir + " (the project folder)")
        .hasMessageContaining("set it to a folder of its own");
    assertThat(basedir.resolve("com")).doesNotExist();
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "protoSourceRoot", value = "${project.basedir}")
  void aProtoSourceRootThatHoldsTheBuildFolderIsRefusedByName(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("Courier: protoSourceRoot (-Dcourier.protoSourceRoot) is " + basedir)
        .hasMessageContaining("set it to the folder of your .proto files");
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "resourcesOutputDirectory", value = "${project.basedir}/src/main/proto/docs")
  void aDocsFolderInsideTheProtoSourceRootIsRefused(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("resourcesOutputDirectory (-Dcourier.resourcesOutputDirectory)")
        .hasMessageContaining("overlaps protoSourceRoot");
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "generateDocs", value = "maybe")
  void aBooleanParameterThatIsNeitherTrueNorFalseIsAnError(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessage("Courier: generateDocs (-Dcourier.generateDocs) is \"maybe\"; expected true or false");
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  @MojoParameter(name = "includes", value = "nomatch/**")
  void includesThatMatchNothingSayWhatIsThereAndKeepTheOutputs(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);
    Path earlier = basedir.resolve("target/generated-sources/courier/com/example/demo/GreeterClient.java");
    Files.createDirectories(earlier.getParent());
    Files.writeString(earlier, "// from an earlier build");

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("includes [nomatch/**] matched none of the 1 .proto files in ")
        .hasMessageContaining("(demo/greeter.proto)");
    assertThat(earlier).exists();
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  void aProjectWithoutCourierRuntimeOrTheBomIsToldToAddBoth(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);
    when(project.getArtifacts()).thenReturn(Set.of(artifact("com.google.guava", "guava")));

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("need dev.courier:courier-runtime")
        .hasMessageContaining("does not import courier-bom; add both");
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  void aProjectThatImportsTheBomIsToldToAddTheRuntimeOnly(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);
    when(project.getArtifacts()).thenReturn(Set.of(artifact("com.google.protobuf", "protobuf-java")));
    org.apache.maven.model.Dependency managed = new org.apache.maven.model.Dependency();
    managed.setGroupId("dev.courier");
    managed.setArtifactId("courier-runtime");
    org.apache.maven.model.DependencyManagement management = new org.apache.maven.model.DependencyManagement();
    management.addDependency(managed);
    when(project.getDependencyManagement()).thenReturn(management);

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("add it to <dependencies> (without a version: the courier-bom the project imports gives it)");
    assertThat(basedir.resolve("target/generated-sources/courier")).doesNotExist();
  }

  @Test
  @Basedir("/mojo/services")
  @InjectMojo(goal = "generate")
  void javaNamesGivesAServiceItsTypeNamesWithoutEditingTheProto(GenerateMojo mojo) throws Exception {
    useTestProtoc(mojo);
    Field field = AbstractGenerateMojo.class.getDeclaredField("javaNames");
    field.setAccessible(true);
    field.set(mojo, java.util.Map.of("demo.Greeter", "Welcomer"));

    mojo.execute();

    Path out = basedir.resolve("target/generated-sources/courier/com/example/demo");
    assertThat(out.resolve("WelcomerClient.java")).exists();
    assertThat(out.resolve("GreeterClient.java")).doesNotExist();
  }

  private static Artifact artifact(String groupId, String artifactId) {
    return new DefaultArtifact(groupId, artifactId, "1", "compile", "jar", null, new DefaultArtifactHandler("jar"));
  }

  /** The harness does not evaluate system properties in parameters; set the binary directly. */
  static void useTestProtoc(AbstractGenerateMojo mojo) throws ReflectiveOperationException {
    Field field = AbstractGenerateMojo.class.getDeclaredField("protocExecutable");
    field.setAccessible(true);
    field.set(mojo, PROTOC);
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
