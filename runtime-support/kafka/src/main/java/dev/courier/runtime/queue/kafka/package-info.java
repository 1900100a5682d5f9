/**
 * The queue transport on Apache Kafka (artifact {@code courier-kafka}, which brings kafka-clients):
 * {@link dev.courier.runtime.queue.kafka.KafkaQueue}, for queue calls between clients and workers
 * on many machines.
 *
 * <p>Only {@code KafkaQueue} and its builder are public; the builder freezes its settings into a
 * {@code KafkaQueueConfig}. Each class below it has one job: {@code TopicNames} names the topics,
 * {@code KafkaTopics} creates and deletes them with the admin client, {@code
 * KafkaProducerSettings} and {@code KafkaConsumerSettings} build the client properties, {@code
 * KafkaPublisher} produces records, {@code KafkaSubscription} (with {@code PartitionProgress}) runs
 * a worker's consumer and its commits, {@code KafkaReplyQueue} a client's reply topic, and {@code
 * KafkaRecords} converts between queue messages and records.
 *
 * <p><b>Settings chosen for latency</b> (any of them can be overridden with {@link
 * dev.courier.runtime.queue.kafka.KafkaQueue.Builder#property}, {@link
 * dev.courier.runtime.queue.kafka.KafkaQueue.Builder#producerProperty} or {@link
 * dev.courier.runtime.queue.kafka.KafkaQueue.Builder#consumerProperty}):
 * <ul>
 *   <li>{@code linger.ms=0}: a request is sent at once. Kafka 4's default of 5 ms puts up to 5 ms
 *       on each of the two hops of a call, and with one call outstanding that cuts throughput
 *       about tenfold. Under load, batches still form while the previous send is in flight.
 *   <li>{@code max.in.flight.requests.per.connection=1}: while one produce request is out, the
 *       next calls collect into one batch, so batches grow with the load without a linger. With
 *       Kafka's 5 in flight they left about half as full, which halved queue-call throughput on a
 *       busy broker.
 *   <li>{@code acks=all} with {@code enable.idempotence=true}: a request or reply is acknowledged
 *       only once it is on every in-sync replica, so "enqueued" means durable, and retries do not
 *       duplicate records. {@code batch.size=65536} lets those batches grow under load.
 *   <li>{@code fetch.min.bytes=1} and {@code fetch.max.wait.ms=500} (Kafka's defaults, spelled
 *       out): a fetch returns as soon as one record is there; the wait bound only matters when
 *       there is none. A shorter bound (100 ms, in earlier versions) buys nothing (a poll, a pause
 *       and a close do not wait for it) and costs the broker: it keeps every waiting fetch on a
 *       finer timer, which took two to four times the broker's timer CPU per call with one call
 *       outstanding.
 *   <li>{@code enable.auto.commit=false} (the worker commits, as above, every {@link
 *       dev.courier.runtime.queue.kafka.KafkaQueue.Builder#commitInterval}, default 1 s: each
 *       commit is a broker write, and at 100 ms they cost several percent of the throughput with
 *       one call outstanding),
 *       {@code auto.offset.reset=earliest} (requests sent before the first worker joined are
 *       served), {@code max.poll.records=500}, the cooperative-sticky assignor (a worker joining
 *       does not stop the others), and a poll timeout of 50 ms for workers, 200 ms for replies
 *       (a poll returns as soon as records arrive; the timeout only bounds idle loops).
 * </ul>
 */
package dev.courier.runtime.queue.kafka;
