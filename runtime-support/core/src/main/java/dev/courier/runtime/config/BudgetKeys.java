package dev.courier.runtime.config;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The retry budget of a service's keys: a share of the calls ({@code budget.share}, {@code
 * budget.floorPerSecond}, {@code budget.window}; keys not given take the defaults 0.2, 10, 10s),
 * or grpc's token bucket ({@code budget.maxTokens} and {@code budget.tokenRatio}, both given, as a
 * service config's {@code retryThrottling} gives them). One kind per version: keys of both are a
 * problem. Stateless.
 */
final class BudgetKeys {
  private BudgetKeys() {}

  /**
   * Takes the budget keys out of {@code settings} (a service's, without {@code prefix}); {@code
   * null} when none is given or one does not read (it goes to {@code problems}).
   */
  static BudgetSettings read(String prefix, Map<String, String> settings, Consumer<ConfigProblem> problems) {
    String share = settings.remove("budget.share");
    String floor = settings.remove("budget.floorPerSecond");
    String window = settings.remove("budget.window");
    String maxTokens = settings.remove("budget.maxTokens");
    String tokenRatio = settings.remove("budget.tokenRatio");
    boolean shareKind = share != null || floor != null || window != null;
    boolean tokenKind = maxTokens != null || tokenRatio != null;
    try {
      if (shareKind && tokenKind) {
        String key = prefix + (maxTokens != null ? "budget.maxTokens" : "budget.tokenRatio");
        throw PolicyKeys.problem(key, maxTokens != null ? maxTokens : tokenRatio, "a token bucket and a share of calls"
            + " for one budget (expected: " + prefix + "budget.share/.floorPerSecond/.window, or " + prefix
            + "budget.maxTokens with " + prefix + "budget.tokenRatio)");
      }
      if (tokenKind) {
        return tokens(prefix, maxTokens, tokenRatio);
      }
      return shareKind ? share(prefix, share, floor, window) : null;
    } catch (ConfigException e) {
      problems.accept(e.problem());
      return null;
    }
  }

  private static BudgetSettings.Tokens tokens(String prefix, String maxTokens, String tokenRatio) {
    if (maxTokens == null || tokenRatio == null) {
      String given = prefix + (maxTokens != null ? "budget.maxTokens" : "budget.tokenRatio");
      String missing = prefix + (maxTokens != null ? "budget.tokenRatio" : "budget.maxTokens");
      throw PolicyKeys.problem(given, maxTokens != null ? maxTokens : tokenRatio,
          "a token bucket needs both (expected: " + missing + " too)");
    }
    int max = PolicyKeys.integer(prefix + "budget.maxTokens", maxTokens);
    double ratio = PolicyKeys.number(prefix + "budget.tokenRatio", tokenRatio);
    String key = max < 1 || max > 1000 ? prefix + "budget.maxTokens" : prefix + "budget.tokenRatio";
    return checked(key, key.endsWith("maxTokens") ? maxTokens : tokenRatio, () -> new BudgetSettings.Tokens(max, ratio));
  }

  private static BudgetSettings.Share share(String prefix, String share, String floor, String window) {
    BudgetSettings.Share b = BudgetSettings.DEFAULT;
    if (share != null) {
      b = change(prefix + "budget.share", share, b, x -> x.withShare(PolicyKeys.number(prefix + "budget.share", share)));
    }
    if (floor != null) {
      b = change(prefix + "budget.floorPerSecond", floor, b,
          x -> x.withFloorPerSecond(PolicyKeys.integer(prefix + "budget.floorPerSecond", floor)));
    }
    if (window != null) {
      b = change(prefix + "budget.window", window, b,
          x -> x.withWindow(PolicyKeys.duration(prefix + "budget.window", window)));
    }
    return b;
  }

  private static BudgetSettings.Share change(String key, String value, BudgetSettings.Share b,
      UnaryOperator<BudgetSettings.Share> change) {
    return checked(key, value, () -> change.apply(b));
  }

  /** {@code make}'s result, or its check's refusal as a problem of {@code key}. */
  private static <T> T checked(String key, String value, Supplier<T> make) {
    try {
      return make.get();
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(new ConfigProblem(key, value, e.getMessage()), e);
    }
  }
}
