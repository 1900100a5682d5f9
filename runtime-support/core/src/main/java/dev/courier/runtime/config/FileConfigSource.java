package dev.courier.runtime.config;

import dev.courier.runtime.internal.Checks;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A properties or YAML file, watched: a new version each time its content changes, whether it is
 * replaced by an atomic rename (write a temporary file beside it, then move it over: the safe way)
 * or rewritten in place.
 *
 * <p><b>Formats.</b> A file ending in {@code .yaml} or {@code .yml} is YAML, with the same keys,
 * flat or nested ({@code courier: {test.Echo/Echo: {timeout: 2s}}} is {@code
 * courier.test.Echo/Echo.timeout=2s}); see {@link YamlConfigText}. Reading YAML needs {@code
 * org.yaml:snakeyaml} (version in {@code courier-bom}), an optional dependency: without it, making
 * the source fails at once with one line naming it. Any other file is properties text.
 *
 * <p><b>How changes are seen.</b> The file's directory is watched ({@link WatchService}); after an
 * event for the file, it is read once it has stayed unchanged for the {@linkplain
 * Builder#quietPeriod quiet period} (default 100 ms), so that a file being written in place is not
 * read half-written. The file is also read every {@linkplain Builder#pollEvery poll interval}
 * (default 5 s), for file systems that send no events (network file systems, a directory replaced
 * by a symlink swap). A version is delivered only when the content differs from the last one.
 *
 * <p><b>Failures.</b> A missing or unreadable file delivers no version: {@link
 * ConfigSource.Listener#onUnavailable} says why, once until the file reads again, and the last good
 * version stays. Text that does not parse (YAML with a syntax error, a list of mappings, a key
 * given twice; a malformed unicode escape in properties) is refused whole the same way, its
 * reason naming the line and column, and told once for each content that fails.
 *
 * <p>Thread-safe. Each subscription has one daemon thread for the watch; reads run on the
 * source's scheduler, one at a time.
 */
public final class FileConfigSource implements ConfigSource {
  private static final System.Logger LOG = System.getLogger(FileConfigSource.class.getName());

  private final Path path;
  private final ConfigFormat format;
  private final Duration pollEvery;
  private final Duration quietPeriod;
  private final ScheduledExecutorService scheduler;

  private FileConfigSource(Builder b) {
    this.path = b.path;
    this.format = ConfigFormat.of(b.path, FileConfigSource.class.getClassLoader());
    this.pollEvery = b.pollEvery;
    this.quietPeriod = b.quietPeriod;
    this.scheduler = b.scheduler != null ? b.scheduler : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "courier-config-file");
      t.setDaemon(true);
      return t;
    });
  }

  /** A builder for the source of {@code path}, with the defaults described on each setter. */
  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /** The source of {@code path} with the defaults. */
  public static FileConfigSource of(Path path) {
    return builder(path).build();
  }

  @Override
  public AutoCloseable subscribe(Listener listener) {
    Subscription s = new Subscription(Objects.requireNonNull(listener, "listener"));
    s.start();
    return s;
  }

  @Override
  public String toString() {
    return "file:" + path;
  }

  /** One subscriber's watch, poll and last delivered content. */
  private final class Subscription implements AutoCloseable {
    private final Listener listener;
    private WatchService watch;
    private Thread watcher;
    private ScheduledFuture<?> poll;
    private ScheduledFuture<?> pending; // guarded by this
    private byte[] last; // guarded by this
    private String told; // what failed and was told, null since the last good read; guarded by this
    private volatile boolean closed;

    Subscription(Listener listener) {
      this.listener = listener;
    }

    void start() {
      read();
      try {
        Path dir = path.toAbsolutePath().getParent();
        watch = FileSystems.getDefault().newWatchService();
        dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
        watcher = new Thread(this::watchLoop, "courier-config-watch-" + path.getFileName());
        watcher.setDaemon(true);
        watcher.start();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.INFO, "cannot watch the directory of {0} ({1}): reading it every {2} instead", path, e, pollEvery);
      }
      poll = scheduler.scheduleWithFixedDelay(this::read, pollEvery.toNanos(), pollEvery.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void watchLoop() {
      Path name = path.getFileName();
      try {
        while (!closed) {
          WatchKey key = watch.take();
          boolean ours = false;
          for (WatchEvent<?> event : key.pollEvents()) {
            ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context());
          }
          key.reset();
          if (ours) {
            readWhenQuiet();
          }
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        // closed
      }
    }

    /** Reads after the quiet period, each new event starting the period again. */
    private synchronized void readWhenQuiet() {
      if (closed) {
        return;
      }
      if (pending != null) {
        pending.cancel(false);
      }
      pending = scheduler.schedule(this::read, quietPeriod.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void read() {
      if (closed) {
        return;
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(path);
      } catch (NoSuchFileException e) {
        failed("no such file", "missing");
        return;
      } catch (IOException | RuntimeException e) {
        failed("cannot be read: " + e, "unreadable");
        return;
      }
      if (last != null && java.util.Arrays.equals(bytes, last)) {
        told = null;
        return;
      }
      java.util.Map<String, String> values;
      try {
        values = format.read(new String(bytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        failed("not " + format + ": " + e.getMessage(), sha256(bytes)); // once per content that fails
        return;
      }
      last = bytes;
      told = null;
      listener.onVersion(new ConfigVersion(values, FileConfigSource.this.toString(), revision(bytes)));
    }

    /** Tells the listener once for each {@code what} (the file missing, unreadable, or one content that fails). */
    private void failed(String reason, String what) { // holding this
      if (!what.equals(told)) {
        told = what;
        listener.onUnavailable(FileConfigSource.this.toString(), reason);
      }
    }

    private String revision(byte[] bytes) {
      String modified;
      try {
        modified = Files.getLastModifiedTime(path).toString();
      } catch (IOException e) {
        modified = "?";
      }
      return "sha256:" + sha256(bytes).substring(0, 12) + " modified " + modified;
    }

    @Override
    public void close() {
      synchronized (this) {
        closed = true;
        if (pending != null) {
          pending.cancel(false);
        }
      }
      if (poll != null) {
        poll.cancel(false);
      }
      if (watch != null) {
        try {
          watch.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }

  /** Configures a {@link FileConfigSource}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private final Path path;
    private Duration pollEvery = Duration.ofSeconds(5);
    private Duration quietPeriod = Duration.ofMillis(100);
    private ScheduledExecutorService scheduler;

    private Builder(Path path) {
      this.path = Objects.requireNonNull(path, "path");
    }

    /** How often the file is read even when no event came; default 5 s. */
    public Builder pollEvery(Duration every) {
      this.pollEvery = Checks.positive("poll", every);
      return this;
    }

    /** How long the file must stay unchanged after an event before it is read; default 100 ms. */
    public Builder quietPeriod(Duration quiet) {
      this.quietPeriod = Checks.notNegative("quiet", quiet);
      return this;
    }

    /**
     * Runs the reads; default one daemon thread of the source's own. The caller owns an executor
     * given here.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public FileConfigSource build() {
      return new FileConfigSource(this);
    }
  }
}
