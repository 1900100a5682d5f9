package dev.courier.codegen.model;

import java.util.List;

/**
 * The Java class protoc generates for a message: package, then the simple names from the
 * top-level class inward ({@code [Inventory, StockRequest]} for a nested or single-file message).
 *
 * @param protoName the full proto name, {@code shop.StockRequest}
 * @param packageName the Java package, possibly empty
 * @param simpleNames outermost first, never empty
 * @param deprecated whether the message is marked {@code deprecated}
 */
public record TypeRef(String protoName, String packageName, List<String> simpleNames, boolean deprecated) {
  public TypeRef {
    simpleNames = List.copyOf(simpleNames);
  }

  /** {@code shop.Inventory.StockRequest}. */
  public String canonicalName() {
    return (packageName.isEmpty() ? "" : packageName + ".") + String.join(".", simpleNames);
  }
}
