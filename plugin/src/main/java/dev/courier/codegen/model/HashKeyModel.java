package dev.courier.codegen.model;

import java.util.List;

/**
 * How to read a method's hash key from its request with direct getters.
 *
 * @param path the dotted field path as written in the {@code .proto} ({@code item.sku})
 * @param getters getter names from the request inward ({@code [getItem, getSku]})
 * @param conversion how the final value becomes a {@code String}
 */
public record HashKeyModel(String path, List<String> getters, Conversion conversion) {
  public HashKeyModel {
    getters = List.copyOf(getters);
  }

  /** Turning the field's Java value into the key string. */
  public enum Conversion {
    /** Already a {@code String}. */
    STRING,
    /** A primitive number or boolean: {@code String.valueOf}. */
    VALUE_OF,
    /** {@code ByteString}: ISO-8859-1, which maps every byte to one char and so loses nothing. */
    BYTES,
    /** An open enum: its number through the {@code ...Value()} getter. */
    OPEN_ENUM,
    /** A closed enum: {@code getNumber()} of the constant. */
    CLOSED_ENUM
  }
}
