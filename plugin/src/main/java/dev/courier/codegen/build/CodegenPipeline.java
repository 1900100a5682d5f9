package dev.courier.codegen.build;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import dev.courier.codegen.CodegenException;
import dev.courier.codegen.GeneratedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One code generation run: find the protos, skip when nothing changed, lay out the import path,
 * run protoc once for the whole set, generate the service sources and, when asked, render the
 * reference docs; then write the sources and the docs through two {@link OutputWriter}s, each with
 * its own manifest. Nothing is written until both have been generated, so a template error
 * leaves the previous outputs in place. Knows nothing about Maven. Thread-safe if the generator is; two runs must
 * not share a work folder.
 *
 * @since 0.1.0
 */
public final class CodegenPipeline {

  private final SourceGenerator generator;
  private final DocsGenerator docsGenerator;
  private final BuildLog log;

  /**
   * A pipeline that generates service sources with {@code generator}, renders docs with Courier's
   * templates and reports to {@code log}.
   */
  public CodegenPipeline(SourceGenerator generator, BuildLog log) {
    this(generator, DocsGenerator.courier(), log);
  }

  /** A pipeline with its own docs renderer (tests). */
  public CodegenPipeline(SourceGenerator generator, DocsGenerator docsGenerator, BuildLog log) {
    this.generator = generator;
    this.docsGenerator = docsGenerator;
    this.log = log;
  }

  /**
   * Runs the generation.
   *
   * @throws BuildException with user-facing detail lines and a one-line summary
   */
  public CodegenOutcome run(CodegenRequest request) throws BuildException {
    try {
      return doRun(request);
    } catch (IOException e) {
      throw new BuildException("Courier: " + e.getMessage() + " (while generating into "
          + request.outputDirectory() + ")", e);
    }
  }

  private CodegenOutcome doRun(CodegenRequest request) throws BuildException, IOException {
    Path work = request.workDirectory();
    OutputWriter writer = new OutputWriter(request.outputDirectory(), work.resolve("outputs.txt"));
    Optional<OutputWriter> docsWriter = request.docs()
        .map(d -> new OutputWriter(d.outputDirectory(), work.resolve("docs-outputs.txt")));
    IncrementalCache cache = new IncrementalCache(work.resolve("fingerprint.txt"));
    List<String> protos = new ProtoFileScanner(request.includes(), request.excludes()).scan(request.protoSourceRoot());
    if (protos.isEmpty()) {
      log.info("Courier: no .proto files in " + request.protoSourceRoot() + ", nothing to generate");
      cache.invalidate();
      int deleted = writer.write(List.of()).deleted();
      if (docsWriter.isPresent()) {
        deleted += docsWriter.get().write(List.of()).deleted();
      }
      return new CodegenOutcome(0, false, 0, 0, deleted, 0);
    }
    Fingerprint fingerprint = Fingerprint.of(request, protos);
    Map<Path, List<String>> previous = new LinkedHashMap<>();
    previous.put(request.outputDirectory(), writer.previousFiles());
    if (docsWriter.isPresent()) {
      previous.put(request.docs().get().outputDirectory(), docsWriter.get().previousFiles());
    }
    Optional<String> stale = cache.staleReason(fingerprint, previous);
    if (stale.isEmpty()) {
      log.info("Courier: " + protos.size() + " proto files unchanged, generation skipped");
      int docFiles = request.docs().map(d -> previous.get(d.outputDirectory()).size()).orElse(0);
      return new CodegenOutcome(protos.size(), true, previous.get(request.outputDirectory()).size(), 0, 0, docFiles);
    }
    log.debug("Courier: generating because " + stale.get());
    cache.invalidate();

    FileDescriptorSet set = runProtoc(request, protos);
    List<OutputFile> files = new ArrayList<>();
    if (request.generateMessages()) {
      files.addAll(collect(work.resolve("java-out")));
    }
    for (GeneratedFile file : generateServices(set, protos)) {
      files.add(OutputFile.of(file));
    }
    List<OutputFile> docs = request.docs().isPresent() ? renderDocs(set, protos, request.docs().get()) : List.of();
    OutputWriter.Result result = writer.write(files);
    String summary = String.format("Courier: %d files from %d proto files in %s (%d written, %d unchanged, %d deleted)",
        files.size(), protos.size(), request.outputDirectory(), result.written(), result.unchanged(), result.deleted());
    int written = result.written();
    int deleted = result.deleted();
    if (docsWriter.isPresent()) {
      OutputWriter.Result docsResult = docsWriter.get().write(docs);
      written += docsResult.written();
      deleted += docsResult.deleted();
      summary += String.format("; %d docs in %s (%d written, %d unchanged, %d deleted)", docs.size(),
          request.docs().get().outputDirectory(), docsResult.written(), docsResult.unchanged(), docsResult.deleted());
    }
    cache.store(fingerprint);
    log.info(summary);
    return new CodegenOutcome(protos.size(), false, files.size(), written, deleted, docs.size());
  }

  private FileDescriptorSet runProtoc(CodegenRequest request, List<String> protos)
      throws BuildException, IOException {
    Path work = request.workDirectory();
    ImportPathLayout.ImportPath importPath =
        new ImportPathLayout(work).prepare(request.protoSourceRoot(), request.dependencyPaths());
    log.debug("Courier: import path " + importPath.directories() + ", " + importPath.dependencyProtoCount()
        + " .proto files from dependencies");
    Path javaOut = work.resolve("java-out");
    FileTrees.deleteRecursively(javaOut);
    if (request.generateMessages()) {
      Files.createDirectories(javaOut);
    }
    Path descriptorSet = work.resolve("descriptor-set.pb");
    Files.deleteIfExists(descriptorSet);
    List<Path> inputs = protos.stream().map(p -> request.protoSourceRoot().resolve(p)).toList();
    ProtocInvocation invocation = new ProtocInvocation(importPath.directories(), inputs, descriptorSet,
        request.generateMessages() ? Optional.of(javaOut) : Optional.empty());
    new ProtocRunner(request.protoc().resolve(), log).run(invocation, work.resolve("protoc-args.txt"));
    return FileDescriptorSet.parseFrom(Files.readAllBytes(descriptorSet));
  }

  private List<GeneratedFile> generateServices(FileDescriptorSet set, List<String> protos) throws BuildException {
    try {
      return generator.generate(set, protos);
    } catch (CodegenException e) {
      throw new BuildException(String.format("Courier: %d problem(s) in .proto files; fix the lines above and build again",
          e.problems().size()), e.problems());
    }
  }

  private List<OutputFile> renderDocs(FileDescriptorSet set, List<String> protos, DocsRequest docs)
      throws BuildException {
    List<GeneratedFile> rendered;
    try {
      rendered = docsGenerator.generate(set, protos, docs.templateDirectory().orElse(null), docs.generator());
    } catch (CodegenException e) {
      String where = docs.templateDirectory().map(d -> " (templateDirectory " + d + ")").orElse("");
      throw new BuildException(String.format("Courier: %d problem(s) in templates%s; fix the lines above and build "
          + "again, or set generateDocs to false", e.problems().size(), where), e.problems());
    }
    return rendered.stream().map(OutputFile::of).toList();
  }

  private static List<OutputFile> collect(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<OutputFile> files = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
        files.add(new OutputFile(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p)));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return files;
  }
}
