package dev.courier.runtime.fault;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grpc service config of the fault harness's grpc-java baseline ({@code FaultComparison}):
 * {@code round_robin}, {@code fault.Echo/Idempotent} retried on {@code UNAVAILABLE} (3 attempts,
 * 50 ms doubling to 1 s), {@code retryThrottling} 10 / 0.1. One JSON file, {@code
 * grpc-service-config.json} beside this class, read by the benchmark and by the test that gives it
 * to Courier's {@code ClientBuilder.serviceConfig}.
 */
public final class GrpcBaseline {
  private GrpcBaseline() {}

  /** The JSON, as grpc writes it. */
  public static String serviceConfigJson() {
    try (InputStream in = GrpcBaseline.class.getResourceAsStream("grpc-service-config.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON as grpc-java's {@code ManagedChannelBuilder.defaultServiceConfig} takes it: maps, lists, doubles, strings. */
  public static Map<String, ?> serviceConfig() {
    Struct.Builder root = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(serviceConfigJson(), root);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    return map(root.build());
  }

  private static Map<String, Object> map(Struct struct) {
    Map<String, Object> map = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((k, v) -> map.put(k, plain(v)));
    return map;
  }

  private static Object plain(Value v) {
    return switch (v.getKindCase()) {
      case STRUCT_VALUE -> map(v.getStructValue());
      case LIST_VALUE -> {
        List<Object> list = new ArrayList<>();
        v.getListValue().getValuesList().forEach(x -> list.add(plain(x)));
        yield list;
      }
      case NUMBER_VALUE -> v.getNumberValue();
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      default -> null;
    };
  }
}
