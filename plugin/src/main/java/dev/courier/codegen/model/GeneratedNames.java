package dev.courier.codegen.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The simple names of the Java types Courier generates for one service, all made from its base
 * name (the service's name, or its {@code java_name} option) by {@link #of(String)}, the one place
 * that spells the suffixes. For {@code Inventory}: {@code Inventory}, {@code InventoryAsync},
 * {@code InventoryClient}, {@code InventoryServer}, {@code InventoryMethods}, {@code
 * InventoryQueueClient} and {@code InventoryQueueWorker}. Immutable.
 *
 * @param serviceInterface the interface a server implements and the client implements too
 * @param asyncInterface the same service with unary methods that return a {@code CompletableFuture}
 * @param client the class that calls remote servers
 * @param server the class that binds an implementation to gRPC
 * @param methods the class with the service name, the method descriptors and policies
 * @param queueClient the class that calls the queue-backed methods over a message queue
 * @param queueWorker the class that serves the queue-backed methods from a message queue
 * @since 0.1.0
 */
public record GeneratedNames(
    String serviceInterface, String asyncInterface, String client, String server, String methods, String queueClient,
    String queueWorker) {

  /** The names Courier gives the types of a service whose base name is {@code baseName}. */
  public static GeneratedNames of(String baseName) {
    return new GeneratedNames(baseName, baseName + "Async", baseName + "Client", baseName + "Server", baseName + "Methods",
        baseName + "QueueClient", baseName + "QueueWorker");
  }

  /**
   * The names of the types generated, in this order: interface, async interface, client, server,
   * methods, then the queue client and worker only when {@code withQueue}.
   */
  public List<String> all(boolean withQueue) {
    List<String> names = new ArrayList<>(List.of(serviceInterface, asyncInterface, client, server, methods));
    if (withQueue) {
      names.add(queueClient);
      names.add(queueWorker);
    }
    return List.copyOf(names);
  }
}
