package dev.courier.codegen.model;

/**
 * One rpc, with the Java names Courier gives it.
 *
 * @param protoName the rpc's name in the {@code .proto} ({@code GetStock})
 * @param fullName gRPC's full name ({@code shop.Inventory/GetStock})
 * @param javaName the interface method ({@code getStock})
 * @param asyncJavaName the client's future-returning variant ({@code getStockAsync})
 * @param constantName the descriptor constant ({@code GET_STOCK})
 * @param kind unary or streaming
 * @param request the request message's Java class
 * @param response the response message's Java class
 * @param policy the effective policy
 * @param hashKey how to read the hash key, or {@code null}
 * @param comment the {@code .proto} comment, possibly empty
 * @param deprecated whether the rpc is marked {@code deprecated}
 */
public record MethodModel(
    String protoName,
    String fullName,
    String javaName,
    String asyncJavaName,
    String constantName,
    CallKind kind,
    TypeRef request,
    TypeRef response,
    PolicyModel policy,
    HashKeyModel hashKey,
    String comment,
    boolean deprecated) {}
