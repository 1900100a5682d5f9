package dev.courier.codegen.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs protoc once with a response file (so long file lists work on every OS) and turns a failure
 * into a {@link BuildException} whose details are protoc's {@code file:line:col: message} lines
 * plus hints. Thread-safe; each call starts its own process.
 *
 * @since 0.1.0
 */
final class ProtocRunner {

  private final Path protoc;
  private final BuildLog log;

  /** A runner for the given executable, reporting protoc's warnings to {@code log}. */
  public ProtocRunner(Path protoc, BuildLog log) {
    this.protoc = protoc;
    this.log = log;
  }

  /**
   * Runs protoc and waits for it.
   *
   * @param invocation what to compile
   * @param argumentFile where to write the response file
   * @throws BuildException when protoc reports errors or cannot be started
   */
  public void run(ProtocInvocation invocation, Path argumentFile) throws BuildException {
    String output;
    int exitCode;
    try {
      Files.createDirectories(argumentFile.getParent());
      Files.write(argumentFile, invocation.arguments(), StandardCharsets.UTF_8);
      log.debug("Courier: running " + protoc + " @" + argumentFile);
      Process process = new ProcessBuilder(protoc.toString(), "@" + argumentFile)
          .redirectErrorStream(true)
          .start();
      process.getOutputStream().close();
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      exitCode = process.waitFor();
    } catch (IOException e) {
      throw new BuildException("could not run protoc " + protoc + ": " + e.getMessage()
          + " (set protocExecutable to a protoc binary that runs on this machine)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("interrupted while protoc was running", e);
    }
    List<String> lines = nonBlankLines(output);
    if (exitCode != 0) {
      throw ProtocDiagnostics.failure(lines, invocation.importPath(), exitCode);
    }
    for (String line : lines) {
      log.warn("protoc: " + line);
    }
  }

  /** The lines of protoc's output that are not blank, split at any line break. */
  static List<String> nonBlankLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n' || text.charAt(i) == '\r') {
        String line = text.substring(start, i);
        if (!line.isBlank()) {
          lines.add(line);
        }
        start = i + 1;
      }
    }
    return lines;
  }
}
