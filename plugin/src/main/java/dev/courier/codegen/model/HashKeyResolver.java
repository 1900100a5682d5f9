package dev.courier.codegen.model;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Resolves a {@code hash_key} path against a request message, at build time. */
final class HashKeyResolver {
  private HashKeyResolver() {}

  /**
   * Resolves {@code path} ({@code sku}, {@code item.sku}) in {@code request}.
   *
   * @return the getters to call, or {@code null} after reporting a problem
   */
  static HashKeyModel resolve(String path, Descriptor request, String where, Consumer<String> problems) {
    String[] parts = path.split("\\.", -1);
    List<String> getters = new ArrayList<>();
    Descriptor current = request;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim();
      FieldDescriptor field = current.findFieldByName(part);
      String prefix = where + ": hash_key \"" + path + "\": ";
      if (field == null) {
        problems.accept(prefix + "no field \"" + part + "\" in " + current.getFullName()
            + " (fields: " + fieldNames(current) + ")");
        return null;
      }
      if (field.isRepeated()) {
        problems.accept(prefix + "field " + part + " of " + current.getFullName() + " is "
            + (field.isMapField() ? "a map" : "repeated")
            + " (expected: a singular scalar, string or enum field)");
        return null;
      }
      getters.add(JavaNames.getterName(field.getName()));
      boolean last = i == parts.length - 1;
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (last) {
          problems.accept(prefix + "field " + part + " of " + current.getFullName() + " is the message "
              + field.getMessageType().getFullName() + " (expected: a scalar, string or enum field;"
              + " name one of its fields, such as \"" + path + "." + firstKeyField(field.getMessageType()) + "\")");
          return null;
        }
        current = field.getMessageType();
        continue;
      }
      if (!last) {
        problems.accept(prefix + "field " + part + " of " + current.getFullName()
            + " is not a message, so \"" + String.join(".", java.util.Arrays.copyOfRange(parts, i + 1, parts.length))
            + "\" cannot follow it");
        return null;
      }
      return new HashKeyModel(path, withEnumGetter(getters, field), conversion(field));
    }
    return null;
  }

  private static List<String> withEnumGetter(List<String> getters, FieldDescriptor field) {
    if (field.getJavaType() == FieldDescriptor.JavaType.ENUM && !field.legacyEnumFieldTreatedAsClosed()) {
      List<String> copy = new ArrayList<>(getters);
      copy.set(copy.size() - 1, "get" + JavaNames.underscoresToCamelCase(field.getName(), true) + "Value");
      return copy;
    }
    return getters;
  }

  private static HashKeyModel.Conversion conversion(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case STRING -> HashKeyModel.Conversion.STRING;
      case BYTE_STRING -> HashKeyModel.Conversion.BYTES;
      case ENUM -> field.legacyEnumFieldTreatedAsClosed()
          ? HashKeyModel.Conversion.CLOSED_ENUM : HashKeyModel.Conversion.OPEN_ENUM;
      default -> HashKeyModel.Conversion.VALUE_OF;
    };
  }

  private static String fieldNames(Descriptor message) {
    return message.getFields().isEmpty() ? "none"
        : message.getFields().stream().map(FieldDescriptor::getName).collect(Collectors.joining(", "));
  }

  private static String firstKeyField(Descriptor message) {
    return message.getFields().stream()
        .filter(f -> !f.isRepeated() && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE)
        .map(FieldDescriptor::getName).findFirst().orElse("id");
  }
}
