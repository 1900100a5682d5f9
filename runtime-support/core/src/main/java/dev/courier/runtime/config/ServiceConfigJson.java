package dev.courier.runtime.config;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading the values of grpc's service config JSON: typed reads that refuse a wrong type with the
 * field's path, grpc's durations and status codes, and the one error format of the import
 * ({@code path: value (reason)}). Stateless.
 */
final class ServiceConfigJson {
  private static final Pattern GRPC_DURATION = Pattern.compile("\\d+(\\.\\d{1,9})?s");

  private ServiceConfigJson() {}

  /** The JSON object of {@code json}, or a refusal of {@code serviceConfig} saying why it does not parse. */
  static Struct parse(String json) {
    Struct.Builder root = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(json, root);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new ConfigException(new ConfigProblem("serviceConfig", abbreviate(json),
          "not a JSON object (" + e.getMessage() + ")"));
    }
    return root.build();
  }

  /** Refuses {@code key}: the message names it, its value (when it has one) and the reason. */
  static ConfigException refuse(String key, Value value, String reason) {
    ConfigProblem problem = new ConfigProblem(key, text(value), reason);
    return new ConfigException(problem.value().isEmpty() ? key + ": " + reason : problem.toString(), problem);
  }

  /** Refuses {@code key}, which is missing. */
  static ConfigException missing(String key, String reason) {
    return refuse(key, Value.getDefaultInstance(), "missing: " + reason);
  }

  /** The struct as a value, for messages. */
  static Value value(Struct struct) {
    return Value.newBuilder().setStructValue(struct).build();
  }

  /** grpc's status codes, by name or number; at least one, never OK. */
  static Set<Status.Code> codes(String key, Value value) {
    Set<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
    for (Value code : list(key, value)) {
      Status.Code c = code.getKindCase() == Value.KindCase.NUMBER_VALUE ? codeNumbered(key, value, code)
          : codeNamed(key, value, code);
      if (c == Status.Code.OK) {
        throw refuse(key, value, "OK is not a failure (expected: status codes other than OK)");
      }
      codes.add(c);
    }
    if (codes.isEmpty()) {
      throw refuse(key, value, "no status codes (expected: at least one, such as [\"UNAVAILABLE\"])");
    }
    return codes;
  }

  private static Status.Code codeNumbered(String key, Value value, Value code) {
    int n = (int) code.getNumberValue();
    if (n != code.getNumberValue() || n < 0 || n >= Status.Code.values().length) {
      throw refuse(key, value, "not a status code: " + text(code));
    }
    return Status.Code.values()[n];
  }

  private static Status.Code codeNamed(String key, Value value, Value code) {
    try {
      return Status.Code.valueOf(string(key, code).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw refuse(key, value, "not a status code: " + text(code) + " (expected names such as \"UNAVAILABLE\")");
    }
  }

  /** grpc's JSON durations: decimal seconds with an {@code s}, {@code "0.05s"}, {@code "2s"}. */
  static Duration duration(String key, Value value) {
    String text = string(key, value);
    if (!GRPC_DURATION.matcher(text).matches()) {
      throw refuse(key, value, "not a grpc duration (expected: seconds with an s, such as \"0.05s\" or \"2s\")");
    }
    BigDecimal seconds = new BigDecimal(text.substring(0, text.length() - 1));
    return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
  }

  /** A duration more than 0. */
  static Duration positive(String key, Value value) {
    Duration d = duration(key, value);
    if (d.isZero()) {
      throw refuse(key, value, "(expected: > 0s)");
    }
    return d;
  }

  static int integer(String key, Value value) {
    double d = number(key, value);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw refuse(key, value, "not a whole number");
    }
    return (int) d;
  }

  static double number(String key, Value value) {
    if (value.getKindCase() == Value.KindCase.NUMBER_VALUE) {
      return value.getNumberValue();
    }
    if (value.getKindCase() == Value.KindCase.STRING_VALUE) { // grpc-java takes numbers in strings too
      try {
        return Double.parseDouble(value.getStringValue());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw refuse(key, value, "not a number");
  }

  static String string(String key, Value value) {
    if (value.getKindCase() != Value.KindCase.STRING_VALUE) {
      throw refuse(key, value, "not a string");
    }
    return value.getStringValue();
  }

  /** The string {@code field} of {@code struct}, {@code null} when absent or JSON null. */
  static String optionalString(String key, Struct struct, String field) {
    Value value = struct.getFieldsOrDefault(field, null);
    return value == null || value.getKindCase() == Value.KindCase.NULL_VALUE ? null : string(key, value);
  }

  static Struct struct(String key, Value value) {
    if (value.getKindCase() != Value.KindCase.STRUCT_VALUE) {
      throw refuse(key, value, "not an object");
    }
    return value.getStructValue();
  }

  /** The list, empty when {@code value} is {@code null} (the field is absent). */
  static List<Value> list(String key, Value value) {
    if (value == null) {
      return List.of();
    }
    if (value.getKindCase() != Value.KindCase.LIST_VALUE) {
      throw refuse(key, value, "not a list");
    }
    return value.getListValue().getValuesList();
  }

  /** The value as compact JSON, for messages. */
  static String text(Value value) {
    if (value.getKindCase() == Value.KindCase.KIND_NOT_SET) {
      return "";
    }
    try {
      return abbreviate(JsonFormat.printer().omittingInsignificantWhitespace().print(value));
    } catch (InvalidProtocolBufferException e) {
      return value.toString();
    }
  }

  private static String abbreviate(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 120 ? flat : flat.substring(0, 117) + "...";
  }
}
