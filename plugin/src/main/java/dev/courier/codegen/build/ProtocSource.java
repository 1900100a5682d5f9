package dev.courier.codegen.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the protoc executable comes from. Resolution is lazy: when the incremental cache says
 * nothing changed, protoc is neither resolved nor run, so {@link #id()} must not need it.
 *
 * @since 0.1.0
 */
public interface ProtocSource {

  /** A stable identity for the incremental fingerprint, such as the artifact coordinates. */
  String id();

  /**
   * Returns a path to an executable protoc.
   *
   * @throws BuildException when it cannot be found; the message says what to set instead
   */
  Path resolve() throws BuildException;

  /** A protoc binary the user points at, such as {@code /usr/bin/protoc}. */
  static ProtocSource local(Path executable) {
    Path exe = executable.toAbsolutePath().normalize();
    return new ProtocSource() {
      @Override
      public String id() {
        try {
          return "local:" + exe + ":" + Files.size(exe) + ":" + Files.getLastModifiedTime(exe).toMillis();
        } catch (IOException e) {
          return "local:" + exe + ":missing";
        }
      }

      @Override
      public Path resolve() throws BuildException {
        if (!Files.isRegularFile(exe)) {
          throw new BuildException("protocExecutable: " + exe
              + " (expected: an existing protoc binary; unset it to download protoc from Maven Central)");
        }
        if (!Files.isExecutable(exe)) {
          throw new BuildException("protocExecutable: " + exe
              + " is not executable (run: chmod +x " + exe + ")");
        }
        return exe;
      }
    };
  }
}
