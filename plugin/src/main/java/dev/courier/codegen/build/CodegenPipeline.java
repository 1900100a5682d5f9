package dev.courier.codegen.build;

import dev.courier.codegen.CodegenException;
import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.docs.DocsGenerator;
import dev.courier.codegen.model.CodegenModel;
import dev.courier.codegen.model.ModelReader;
import dev.courier.codegen.model.ProtocDescriptors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * One code generation run: find the protos, skip when nothing changed, lay out the import path,
 * run protoc once for the whole set, read the services into one {@link CodegenModel}, and generate
 * from that one model the service sources and, when asked, the reference docs; then write the
 * sources and the docs through two {@link OutputWriter}s, each with its own manifest. Nothing is
 * written until both have been generated, so a template error leaves the previous outputs in
 * place. Knows nothing about Maven. Thread-safe; two runs must not share a work folder.
 *
 * @since 0.1.0
 */
public final class CodegenPipeline {

  private final SourceGenerator generator;
  private final BuildLog log;

  /** A pipeline that generates with Courier's Java generators and templates and reports to {@code log}. */
  public CodegenPipeline(BuildLog log) {
    this(SourceGenerator.courier(), log);
  }

  /** A pipeline with its own source generator (tests). */
  CodegenPipeline(SourceGenerator generator, BuildLog log) {
    this.generator = generator;
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
    Optional<OutputWriter> docsWriter = request.docs().isPresent()
        ? Optional.of(new OutputWriter(request.docs().get().outputDirectory(), work.resolve("docs-outputs.txt")))
        : Optional.empty();
    IncrementalCache cache = new IncrementalCache(work.resolve("fingerprint.txt"));
    List<String> protos = new ProtoFileScanner(request.includes(), request.excludes()).scan(request.protoSourceRoot());
    if (protos.isEmpty()) {
      failWhenPatternsHideProtos(request);
      log.info("Courier: no .proto files in " + request.protoSourceRoot() + ", nothing to generate");
      cache.invalidate();
      int deleted = writer.write(List.of()).deleted();
      if (docsWriter.isPresent()) {
        deleted += docsWriter.get().write(List.of()).deleted();
      }
      return new CodegenOutcome(0, false, 0, 0, deleted, 0);
    }
    DependencyScanCache scans = new DependencyScanCache(work.resolve("dependency-scan.txt"));
    Map<Path, List<String>> previous = new LinkedHashMap<>();
    previous.put(request.outputDirectory(), writer.previousFiles());
    if (docsWriter.isPresent()) {
      previous.put(request.docs().get().outputDirectory(), docsWriter.get().previousFiles());
    }
    // Without a state (a clean build) there is nothing to compare with: the fingerprint is taken
    // after the imports are extracted, from the jar listings of that same pass.
    Optional<String> stale = cache.hasState()
        ? cache.staleReason(Fingerprint.of(request, protos, scans), previous)
        : Optional.of("no previous generation state in " + work.resolve("fingerprint.txt"));
    if (stale.isEmpty()) {
      log.info("Courier: " + protos.size() + " proto files unchanged, generation skipped");
      int docFiles = request.docs().isPresent() ? previous.get(request.docs().get().outputDirectory()).size() : 0;
      return new CodegenOutcome(protos.size(), true, previous.get(request.outputDirectory()).size(), 0, 0, docFiles);
    }
    log.debug("Courier: generating because " + stale.get());
    cache.invalidate();
    Generated generated = generate(request, protos, scans);
    scans.store();
    Written written = write(request, protos.size(), generated, writer, docsWriter);
    cache.store(generated.fingerprint());
    log.info(written.summary());
    return written.outcome();
  }

  /**
   * Includes or excludes that match none of the {@code .proto} files there are are a mistake, not a
   * request to generate nothing: fail, saying what is there, before any output is deleted.
   */
  private static void failWhenPatternsHideProtos(CodegenRequest request) throws BuildException, IOException {
    List<String> present = new ProtoFileScanner(List.of("**/*.proto"), List.of()).scan(request.protoSourceRoot());
    if (present.isEmpty()) {
      return;
    }
    int shown = Math.min(present.size(), 10);
    String listed = String.join(", ", present.subList(0, shown)) + (present.size() > shown ? ", ..." : "");
    throw new BuildException(String.format("Courier: includes %s%s matched none of the %d .proto files in %s (%s);"
            + " fix includes (courier.includes) or excludes (courier.excludes), or set courier.skip=true to"
            + " generate nothing", request.includes(), request.excludes().isEmpty() ? "" : " minus excludes "
            + request.excludes(), present.size(), request.protoSourceRoot(), listed));
  }

  /** The files of one run, generated and not yet written, and the fingerprint of its inputs. */
  private record Generated(List<OutputFile> sources, List<OutputFile> docs, Fingerprint fingerprint) {}

  /** What writing them did, and the line that says so. */
  private record Written(CodegenOutcome outcome, String summary) {}

  /**
   * Runs protoc, reads the model once, and generates the sources and the docs from it, using both
   * cores: protoc runs twice, first for the descriptor set the model is read from, then, while the
   * model is read and the service classes generated, for the message classes ({@code --java_out},
   * most of protoc's work); the docs' templates are parsed on a third
   * thread while protoc runs, and rendered there while this one writes the service classes.
   */
  private Generated generate(CodegenRequest request, List<String> protos, DependencyScanCache scans)
      throws BuildException, IOException {
    ExecutorService workers = Executors.newFixedThreadPool(2, new DaemonThreads());
    Optional<Future<List<OutputFile>>> messages = Optional.empty();
    try {
      Optional<Future<DocsGenerator.Prepared>> templates = request.docs().isPresent()
          ? Optional.of(workers.submit(new PrepareTemplates(request.docs().get().templateDirectory().orElse(null))))
          : Optional.empty();
      Path work = request.workDirectory();
      ImportPathLayout.ImportPath importPath =
          new ImportPathLayout(work).prepare(request.protoSourceRoot(), request.dependencyPaths(), scans);
      log.debug("Courier: import path " + importPath.directories() + ", " + importPath.dependencyProtoCount()
          + " .proto files from dependencies");
      Fingerprint fingerprint = Fingerprint.of(request, protos, scans);
      List<Path> inputs = new ArrayList<>();
      for (String proto : protos) {
        inputs.add(request.protoSourceRoot().resolve(proto));
      }
      Path protoc = request.protoc().resolve();
      Path descriptorSet = work.resolve("descriptor-set.pb");
      Files.deleteIfExists(descriptorSet);
      new ProtocRunner(protoc, log).run(new ProtocInvocation(importPath.directories(), inputs,
          Optional.of(descriptorSet), Optional.empty()), work.resolve("protoc-args.txt"));
      // The message classes' run only now: started with the descriptor run, it slowed that one,
      // which everything else waits for, and finished long before its classes were wanted.
      if (request.generateMessages()) {
        Path javaOut = work.resolve("java-out");
        FileTrees.deleteRecursively(javaOut);
        Files.createDirectories(javaOut);
        ProtocInvocation java = new ProtocInvocation(importPath.directories(), inputs, Optional.empty(),
            Optional.of(javaOut));
        messages = Optional.of(workers.submit(new MessageClasses(protoc, java, work.resolve("protoc-java-args.txt"),
            javaOut)));
      }
      ProtocDescriptors set = ProtocDescriptors.parse(Files.readAllBytes(descriptorSet));
      CodegenModel model = readModel(set, protos, request.javaNames());
      Optional<BuildException> missing = request.runtimeCheck()
          .failure(!model.services().isEmpty(), request.generateMessages());
      if (missing.isPresent()) {
        throw missing.get();
      }
      Optional<Future<List<GeneratedFile>>> docs = templates.isPresent()
          ? Optional.of(workers.submit(new RenderDocs(templates.get(), model, request.docs().get().generator())))
          : Optional.empty();
      List<OutputFile> sources = new ArrayList<>();
      List<OutputFile> services = new ArrayList<>();
      for (GeneratedFile file : generator.generate(model.services())) {
        services.add(OutputFile.of(file));
      }
      if (messages.isPresent()) {
        sources.addAll(join(messages.get()));
      }
      sources.addAll(services);
      List<OutputFile> rendered = docs.isPresent() ? docsOf(docs.get(), request.docs().get()) : List.of();
      return new Generated(sources, rendered, fingerprint);
    } finally {
      // When this run fails first, let the --java_out protoc end before the next run clears its folder.
      if (messages.isPresent()) {
        awaitQuietly(messages.get());
      }
      workers.shutdownNow();
    }
  }

  // The workers' tasks are classes, not lambdas: in the cold JVM of a build every lambda is a class
  // spun at run time, which costs more than loading one from the plugin jar.

  /** The workers' threads: daemons, so that a protoc that hangs never keeps Maven's JVM alive. */
  private static final class DaemonThreads implements ThreadFactory {
    @Override
    public Thread newThread(Runnable task) {
      Thread t = new Thread(task, "courier-worker");
      t.setDaemon(true);
      return t;
    }
  }

  /** Reads and parses the docs' templates. */
  private record PrepareTemplates(Path templateDirectory) implements Callable<DocsGenerator.Prepared> {
    @Override
    public DocsGenerator.Prepared call() throws CodegenException {
      return DocsGenerator.prepare(templateDirectory);
    }
  }

  /**
   * protoc's {@code --java_out} run, then the message classes it wrote; silent, since its warnings
   * are the descriptor run's too.
   */
  private record MessageClasses(Path protoc, ProtocInvocation invocation, Path argsFile, Path javaOut)
      implements Callable<List<OutputFile>> {
    @Override
    public List<OutputFile> call() throws BuildException, IOException {
      new ProtocRunner(protoc, BuildLog.silent()).run(invocation, argsFile);
      return collect(javaOut);
    }
  }

  /** Renders the docs once their templates are parsed. */
  private record RenderDocs(Future<DocsGenerator.Prepared> templates, CodegenModel model, String generator)
      implements Callable<List<GeneratedFile>> {
    @Override
    public List<GeneratedFile> call() throws Exception {
      return templates.get().generate(model, generator);
    }
  }

  private static void awaitQuietly(Future<?> task) {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      // reported by the run that failed first, or by join
    }
  }

  /** The message classes of the {@code --java_out} run, or its failure. */
  private static List<OutputFile> join(Future<List<OutputFile>> messages) throws BuildException, IOException {
    try {
      return messages.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("Courier: interrupted while protoc was running", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BuildException failure) {
        throw failure;
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new BuildException("Courier: protoc --java_out failed: " + e.getCause(), e.getCause());
    }
  }

  /** The rendered docs, or the template problems as a {@link BuildException}. */
  private static List<OutputFile> docsOf(Future<List<GeneratedFile>> docs, DocsRequest request) throws BuildException {
    try {
      List<OutputFile> files = new ArrayList<>();
      for (GeneratedFile file : docs.get()) {
        files.add(OutputFile.of(file));
      }
      return files;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("Courier: interrupted while rendering the docs", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof ExecutionException nested ? nested.getCause() : e.getCause();
      if (cause instanceof CodegenException problems) {
        String where = request.templateDirectory().map(d -> " (templateDirectory " + d + ")").orElse("");
        throw new BuildException(String.format("Courier: %d problem(s) in templates%s; fix the lines above and build "
            + "again, or set generateDocs to false", problems.problems().size(), where), problems.problems());
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new BuildException("Courier: rendering the docs failed: " + cause, cause);
    }
  }

  /** Writes the sources, then the docs when asked, each folder through its own writer and manifest. */
  private static Written write(CodegenRequest request, int protoFiles, Generated generated, OutputWriter writer,
      Optional<OutputWriter> docsWriter) throws BuildException, IOException {
    List<OutputFile> files = generated.sources();
    OutputWriter.Result result = writer.write(files);
    String summary = String.format("Courier: %d files from %d proto files in %s (%d written, %d unchanged, %d deleted)",
        files.size(), protoFiles, request.outputDirectory(), result.written(), result.unchanged(), result.deleted());
    int written = result.written();
    int deleted = result.deleted();
    if (docsWriter.isPresent()) {
      List<OutputFile> docs = generated.docs();
      OutputWriter.Result docsResult = docsWriter.get().write(docs);
      written += docsResult.written();
      deleted += docsResult.deleted();
      summary += String.format("; %d docs in %s (%d written, %d unchanged, %d deleted)", docs.size(),
          request.docs().get().outputDirectory(), docsResult.written(), docsResult.unchanged(), docsResult.deleted());
    }
    CodegenOutcome outcome = new CodegenOutcome(protoFiles, false, files.size(), written, deleted,
        generated.docs().size());
    return new Written(outcome, summary);
  }

  private static CodegenModel readModel(ProtocDescriptors set, List<String> protos, Map<String, String> javaNames)
      throws BuildException {
    try {
      return ModelReader.read(set, protos, javaNames);
    } catch (CodegenException e) {
      throw new BuildException(String.format("Courier: %d problem(s) in .proto files; fix the lines above and build again",
          e.problems().size()), e.problems());
    }
  }

  private static List<OutputFile> collect(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<OutputFile> files = new ArrayList<>();
    for (Path p : FileTrees.regularFiles(dir)) {
      files.add(OutputFile.movedFrom(dir.relativize(p).toString().replace('\\', '/'), p));
    }
    return files;
  }
}
