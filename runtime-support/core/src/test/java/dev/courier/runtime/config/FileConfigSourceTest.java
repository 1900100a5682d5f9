package dev.courier.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

  /** YAML, nested, replaced by an atomic rename. */
  @Nested
  class YamlAtomicRename extends LiveConfigContract {
    @Override
    protected Backend backend() {
      return new FileBackend(dir.resolve("rename-" + System.nanoTime() + ".yaml"), true);
    }
  }

  /** YAML, nested, rewritten in place. */
  @Nested
  class YamlInPlaceWrite extends LiveConfigContract {
    @Override
    protected Backend backend() {
      return new FileBackend(dir.resolve("inplace-" + System.nanoTime() + ".yml"), false);
    }
  }

  @ParameterizedTest(name = "rewritten by rename: {0}")
  @ValueSource(booleans = {true, false})
  void badYamlIsRefusedWholeWithItsLineAndTheLastGoodVersionStays(boolean rename) throws Exception {
    FileBackend file = new FileBackend(dir.resolve("bad-" + rename + "-" + System.nanoTime() + ".yaml"), rename);
    file.write("courier.test.Echo/Echo.timeout=10s\n");
    BlockingQueue<ConfigEvent> events = new LinkedBlockingQueue<>();
    try (file; LiveConfig live = LiveConfig.follow(file.source(), events::add)) {
      assertThat(events.poll(20, TimeUnit.SECONDS)).isInstanceOf(ConfigEvent.Applied.class);

      file.writeText("courier:\n  test.Echo/Echo:\n    timeout: 3s\n   retry: [\n");
      ConfigEvent.Unavailable syntax = (ConfigEvent.Unavailable) events.poll(20, TimeUnit.SECONDS);
      assertThat(syntax.reason()).startsWith("not YAML: line 4, column 4: ");
      assertThat(syntax.inForce().values()).containsExactly(Map.entry("courier.test.Echo/Echo.timeout", "10s"));

      file.writeText("courier:\n  test.Echo/Echo:\n    timeout: 3s\n    retry:\n      retryableCodes:\n"
          + "        - code: UNAVAILABLE\n");
      ConfigEvent.Unavailable shape = (ConfigEvent.Unavailable) events.poll(20, TimeUnit.SECONDS);
      assertThat(shape.reason()).as("another bad content is told too")
          .isEqualTo("not YAML: line 6, column 11: courier.test.Echo/Echo.retry.retryableCodes: a list may hold"
              + " only values (expected: [UNAVAILABLE, ABORTED])");
      assertThat(live.current().values()).as("the valid key of the refused content did not apply")
          .containsExactly(Map.entry("courier.test.Echo/Echo.timeout", "10s"));

      file.write("courier.test.Echo/Echo.timeout=4s\n");
      ConfigEvent.Applied applied = (ConfigEvent.Applied) events.poll(20, TimeUnit.SECONDS);
      assertThat(applied.changes()).containsExactly(new ConfigChange("courier.test.Echo/Echo.timeout", "10s", "4s"));
    }
  }

  /** A real file; down is the file gone. A {@code .yaml} or {@code .yml} file is written as nested YAML. */
  static final class FileBackend implements LiveConfigContract.Backend {
    private final Path file;
    private final boolean rename;
    private final boolean yaml;
    private final FileConfigSource source;

    FileBackend(Path file, boolean rename) {
      this.file = file;
      this.rename = rename;
      this.yaml = file.getFileName().toString().matches(".*\\.ya?ml");
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
      writeText(yaml ? YamlText.nested(properties) : properties);
    }

    /** Writes {@code text} as it is, by rename or in place. */
    void writeText(String text) throws Exception {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
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
