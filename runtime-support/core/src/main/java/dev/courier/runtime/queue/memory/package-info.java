/**
 * The embedded queue transport, the default: {@link dev.courier.runtime.queue.memory.InMemoryQueue}
 * carries queue calls between clients and workers in one JVM, with no broker.
 *
 * <p>Each method has one bounded {@code MemoryQueue} (back-pressure when full, never a silent
 * drop); a worker's {@code MemorySubscription} takes from it on one daemon thread per method.
 * Replies go straight to the waiting client; dead letters are kept per method, bounded, and read
 * with {@link dev.courier.runtime.queue.memory.InMemoryQueue#deadLetters}. Only {@code
 * InMemoryQueue} and its builder are public. Nothing survives the JVM: use {@code courier-kafka}
 * for that.
 */
package dev.courier.runtime.queue.memory;
