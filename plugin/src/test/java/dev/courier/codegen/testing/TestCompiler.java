package dev.courier.codegen.testing;

import dev.courier.codegen.GeneratedFile;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles generated sources with protoc's message classes, {@code -Xlint:all}, on the test classpath. */
public final class TestCompiler {
  private TestCompiler() {}

  /** Diagnostics (errors and warnings) in Courier's files, plus every error anywhere. */
  public record Result(boolean success, List<String> courierDiagnostics, List<String> allErrors) {}

  public static Result compile(Path work, Path protocJava, List<GeneratedFile> generated) throws IOException {
    Path sources = work.resolve("courier-src");
    List<Path> courierFiles = new ArrayList<>();
    for (GeneratedFile file : generated) {
      Path path = sources.resolve(file.relativePath());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.content(), StandardCharsets.UTF_8);
      courierFiles.add(path);
    }
    List<Path> all = new ArrayList<>(courierFiles);
    try (Stream<Path> walk = Files.walk(protocJava)) {
      walk.filter(p -> p.toString().endsWith(".java")).forEach(all::add);
    }
    Path classes = Files.createDirectories(work.resolve("classes"));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", "17", "-Xlint:all", "-Xmaxwarns", "10000",
          "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none");
      boolean ok = compiler.getTask(new StringWriter(), files, diagnostics, options, null,
          files.getJavaFileObjectsFromPaths(all)).call();
      List<String> courier = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        String text = (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
            + d.getKind() + ": " + d.getMessage(Locale.ROOT);
        boolean ours = d.getSource() != null && d.getSource().toUri().getPath().startsWith(sources.toUri().getPath());
        if (ours && d.getKind() != Diagnostic.Kind.NOTE) {
          courier.add(text);
        }
        if (d.getKind() == Diagnostic.Kind.ERROR) {
          errors.add(text);
        }
      }
      return new Result(ok, courier, errors);
    }
  }
}
