/**
 * Queue-backed variants of unary calls: the same {@link dev.courier.runtime.RpcMethod}s carried
 * over a message queue instead of an HTTP/2 connection.
 *
 * <p>Generated {@code XxxQueueClient}s call {@link dev.courier.runtime.queue.QueueClientRuntime};
 * generated {@code XxxQueueWorker}s register handlers on a {@link
 * dev.courier.runtime.queue.QueueWorkerRuntime}. Both talk to a {@link
 * dev.courier.runtime.queue.QueueTransport}: {@link dev.courier.runtime.queue.memory.InMemoryQueue} (one
 * JVM, the default) or {@code dev.courier.runtime.queue.kafka.KafkaQueue} (artifact {@code
 * courier-kafka}: Apache Kafka, many machines).
 *
 * <p><b>The transport SPI</b> is what a transport implements and carries: {@link
 * dev.courier.runtime.queue.QueueTransport}, {@link dev.courier.runtime.queue.QueueMessage}
 * (including {@link dev.courier.runtime.queue.QueueMessage#request} and {@link
 * dev.courier.runtime.queue.QueueMessage#of}, public for the transports in other packages), {@link
 * dev.courier.runtime.queue.CallId}, {@link dev.courier.runtime.queue.QueueEnvelope} (the binary
 * envelope of wire format 2), {@link dev.courier.runtime.queue.QueueHeaders}, {@link
 * dev.courier.runtime.queue.QueueDelivery}, {@link dev.courier.runtime.queue.QueueSubscription} and
 * {@link dev.courier.runtime.queue.ReplyQueue}. Everything else here (the worker's processing, the
 * lanes, the dedupe cache, the codec, the counters, the timeout wheel) is package-private.
 *
 * <p>Guarantees, the same on both transports: at-least-once delivery (a request is acknowledged
 * only after its reply is published); duplicates of one request id run the implementation once and
 * get the cached reply again; a request whose deadline passed before a worker took it is not run
 * and answered with {@code DEADLINE_EXCEEDED}; a request that cannot be decoded, or whose handler
 * keeps failing, goes to the method's dead-letter queue with the error in a header; every outcome
 * is counted in {@link dev.courier.runtime.queue.QueueStats}.
 */
package dev.courier.runtime.queue;
