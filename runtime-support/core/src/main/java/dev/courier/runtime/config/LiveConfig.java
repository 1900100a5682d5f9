package dev.courier.runtime.config;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Follows one {@link ConfigSource} for every client and server given it ({@code
 * ClientBuilder.liveConfig}, {@code CourierServer.Builder.liveConfig}).
 *
 * <p><b>Each version is checked whole before anything applies.</b> Every {@link ConfigTarget}
 * checks it, with the same rules as the build. When any key fails, the version is refused: it
 * applies nowhere, the version in force stays, and one log line (logger {@code
 * dev.courier.runtime.config.LiveConfig}, level WARNING) and one {@link ConfigEvent.Refused} name
 * every failing key, its value and why. When every target accepts it, it is applied to all of them
 * at once and an {@link ConfigEvent.Applied} lists what changed (logged at INFO). Keys no target
 * follows are named in the log too (WARNING), since a misspelt service name would otherwise change
 * nothing without a word.
 *
 * <p><b>The source failing</b> changes nothing: the last good version stays in force, and an
 * {@link ConfigEvent.Unavailable} and one log line say so once per outage.
 *
 * <p>Calls already in flight keep the policy they started with; a key removed from the source
 * gives the next layer back (per call &gt; live &gt; builder &gt; {@code .proto}).
 *
 * <p>Thread-safe. Versions are handled one at a time. {@link #close()} ends the subscription;
 * clients and servers keep the version last in force.
 */
public final class LiveConfig implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LiveConfig.class.getName());
  /** Every live configuration of the process that is not closed, for the status page. */
  private static final List<LiveConfig> OPEN = new CopyOnWriteArrayList<>();

  private final ConfigSource source;
  private final List<ConfigListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ConfigTarget> targets = new ArrayList<>(); // guarded by this
  private final Set<String> followedPrefixes = new LinkedHashSet<>(); // guarded by this
  private ConfigVersion current; // guarded by this
  private String trouble = ""; // guarded by this; the last refusal or outage since the last good version
  private final AutoCloseable subscription;

  private LiveConfig(ConfigSource source, List<ConfigListener> initial) {
    this.source = Objects.requireNonNull(source, "source");
    this.listeners.addAll(initial);
    this.current = ConfigVersion.none(source.toString());
    OPEN.add(this); // before the first version, so that a source that never answers is listed too
    try {
      this.subscription = subscribe(source);
    } catch (RuntimeException e) {
      OPEN.remove(this);
      throw e;
    }
  }

  private AutoCloseable subscribe(ConfigSource source) {
    return source.subscribe(new ConfigSource.Listener() {
      @Override
      public void onVersion(ConfigVersion version) {
        offer(version);
      }

      @Override
      public void onUnavailable(String origin, String reason) {
        unavailable(origin, reason);
      }
    });
  }

  /**
   * Follows {@code source} at once; {@code listeners} hear every event from the first version on.
   * Waits for the first version as long as the source's {@code subscribe} does.
   */
  public static LiveConfig follow(ConfigSource source, ConfigListener... listeners) {
    return new LiveConfig(source, List.of(listeners));
  }

  /** Follows {@link Configs#fromUri}{@code (uri)}. */
  public static LiveConfig fromUri(String uri, ConfigListener... listeners) {
    return follow(Configs.fromUri(uri), listeners);
  }

  /** Tells {@code listener} about every event from now on. */
  public LiveConfig addListener(ConfigListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** The version in force (where it came from, its revision, its keys); for a status page. */
  public synchronized ConfigVersion current() {
    return current;
  }

  /**
   * What a status page shows of this configuration: the version in force, where it came from and
   * what went wrong since; never a value.
   */
  public synchronized Status status() {
    return new Status(current.origin(), current.revision(), current.values().size(), targets.size(), trouble);
  }

  /** The {@link #status()} of every live configuration of this process that is not closed, oldest first. */
  public static List<Status> statusOfAll() {
    return OPEN.stream().map(LiveConfig::status).toList();
  }

  /**
   * One live configuration as the status page shows it.
   *
   * @param origin where the version in force came from, e.g. {@code file:/etc/app/courier.properties}
   * @param revision the source's name for that version, or {@code none} before the source answered
   * @param keys how many keys the version in force has
   * @param followers how many clients and servers follow it
   * @param trouble the last refused version (its revision, keys and reasons) or the source's outage
   *     since the version in force was applied; empty when there was none
   */
  public record Status(String origin, String revision, int keys, int followers, String trouble) {}

  /** The source followed. */
  public ConfigSource source() {
    return source;
  }

  /**
   * Makes {@code target} follow this configuration: checks the version in force against it and
   * applies it, then every later version.
   *
   * @param follows the service names the target reads keys of, so that keys nobody reads are reported
   * @return stops following: the target is told no later version and no longer checks them (a
   *     stopped server or a closed client must not veto a version); closing twice is harmless
   * @throws ConfigException when the version in force does not fit {@code target}: the message
   *     names the version and every key, value and reason
   */
  public synchronized Following attach(ConfigTarget target, Set<String> follows) {
    Objects.requireNonNull(target, "target");
    List<ConfigProblem> problems = target.check(current);
    if (!problems.isEmpty()) {
      throw new ConfigException("the live configuration in force (" + current + ") does not fit " + target + ": "
          + join(problems), problems.get(0));
    }
    target.apply(current);
    targets.add(target);
    follows.forEach(s -> followedPrefixes.add("courier." + s));
    return () -> {
      synchronized (LiveConfig.this) {
        targets.remove(target);
      }
    };
  }

  /** A target's following of a live configuration; {@link #close()} ends it and throws nothing. */
  public interface Following extends AutoCloseable {
    @Override
    void close();
  }

  /** How many clients and servers follow this configuration now; for a status page and for tests. */
  public synchronized int followers() {
    return targets.size();
  }

  private void offer(ConfigVersion version) {
    ConfigEvent event;
    synchronized (this) {
      if (version.values().equals(current.values())) {
        current = version; // same keys, newer revision: nothing to apply
        trouble = "";
        return;
      }
      List<ConfigProblem> problems = new ArrayList<>();
      for (ConfigTarget target : targets) {
        problems.addAll(target.check(version));
      }
      if (!problems.isEmpty()) {
        List<ConfigProblem> distinct = problems.stream().distinct().toList();
        LOG.log(Level.WARNING, "live configuration {0} refused, {1} stays in force: {2}", version, current,
            join(distinct));
        event = new ConfigEvent.Refused(version, current, distinct);
        trouble = "refused " + version.revision() + ": " + distinct.stream()
            .map(p -> p.key() + ": " + p.reason()).collect(Collectors.joining("; "));
      } else {
        for (ConfigTarget target : targets) {
          target.apply(version);
        }
        ConfigVersion previous = current;
        current = version;
        trouble = "";
        List<ConfigChange> changes = changes(previous.values(), version.values());
        LOG.log(Level.INFO, "live configuration {0} applied: {1}", version,
            changes.stream().map(ConfigChange::toString).collect(Collectors.joining("; ")));
        List<String> unread = targets.isEmpty() ? List.of() : unread(version); // none attached yet: nothing to tell
        if (!unread.isEmpty()) {
          LOG.log(Level.WARNING, "live configuration {0}: no client or server here reads {1}", version, unread);
        }
        event = new ConfigEvent.Applied(version, previous, changes);
      }
    }
    tell(event);
  }

  private void unavailable(String origin, String reason) {
    ConfigVersion inForce;
    synchronized (this) {
      inForce = current;
      trouble = "source unavailable: " + reason;
    }
    LOG.log(Level.WARNING, "live configuration source {0} cannot be read ({1}): {2} stays in force", origin, reason,
        inForce);
    tell(new ConfigEvent.Unavailable(origin, reason, inForce));
  }

  private List<String> unread(ConfigVersion version) { // holding this
    List<String> unread = new ArrayList<>();
    for (String key : version.values().keySet()) {
      boolean read = false;
      for (String prefix : followedPrefixes) {
        if (key.startsWith(prefix + ".") || key.startsWith(prefix + "/")) {
          read = true;
          break;
        }
      }
      if (!read) {
        unread.add(key);
      }
    }
    return unread;
  }

  static List<ConfigChange> changes(Map<String, String> before, Map<String, String> after) {
    List<ConfigChange> changes = new ArrayList<>();
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      String a = before.get(key);
      String b = after.get(key);
      if (!Objects.equals(a, b)) {
        changes.add(new ConfigChange(key, a, b));
      }
    }
    return changes;
  }

  private static String join(List<ConfigProblem> problems) {
    return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; "));
  }

  private void tell(ConfigEvent event) {
    for (ConfigListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "config listener " + listener + " failed", e);
      }
    }
  }

  @Override
  public void close() {
    OPEN.remove(this);
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "closing " + source + " failed", e);
    }
  }

  @Override
  public synchronized String toString() {
    return "LiveConfig{" + source + ", in force " + current + "}";
  }
}
