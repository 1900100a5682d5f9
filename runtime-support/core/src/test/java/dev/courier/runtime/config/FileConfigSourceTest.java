package dev.courier.runtime.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The file source against a real file, rewritten both ways operators rewrite files. */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
class FileConfigSourceTest {
  @TempDir
  static Path dir;

  /** Replaced by an atomic rename: a temporary file beside it, moved over it. */
  @Nested
  class AtomicRename extends LiveConfigContract {
    @Override
    protected Backend backend() {
      return new FileBackend(dir.resolve("rename-" + System.nanoTime() + ".properties"), true);
    }
  }

  /** Rewritten in place: truncated and written again. */
  @Nested
  class InPlaceWrite extends LiveConfigContract {
    @Override
    protected Backend backend() {
      return new FileBackend(dir.resolve("inplace-" + System.nanoTime() + ".properties"), false);
    }
  }

  /** A real file; down is the file gone. */
  static final class FileBackend implements LiveConfigContract.Backend {
    private final Path file;
    private final boolean rename;
    private final FileConfigSource source;

    FileBackend(Path file, boolean rename) {
      this.file = file;
      this.rename = rename;
      // The poll is a fallback for file systems without events; a long one shows the watch does the work.
      this.source = FileConfigSource.builder(file).pollEvery(Duration.ofMinutes(5))
          .quietPeriod(Duration.ofMillis(20)).build();
    }

    @Override
    public ConfigSource source() {
      return source;
    }

    @Override
    public void write(String properties) throws Exception {
      byte[] bytes = properties.getBytes(StandardCharsets.UTF_8);
      if (rename) {
        Path tmp = Files.createTempFile(file.getParent(), ".courier", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.write(file, bytes); // truncate, then write
      }
    }

    @Override
    public void takeDown() throws Exception {
      Files.delete(file);
    }

    @Override
    public void bringBack(String properties) throws Exception {
      write(properties);
    }

    @Override
    public void close() throws Exception {
      Files.deleteIfExists(file);
    }
  }
}
