package dev.courier.runtime.queue;

/**
 * Counters of a {@link QueueClientRuntime} or a {@link QueueWorkerRuntime}, taken at one moment.
 * Counters that do not apply to the side that reports them are zero.
 *
 * @param sent requests accepted by the queue (client)
 * @param replied replies matched to a waiting call (client)
 * @param timedOut calls that got no reply before their deadline (client)
 * @param lateReplies replies that found no waiting call: late, or the repeat of a duplicate (client)
 * @param executed handler runs that ended in a reply, success or failure (worker)
 * @param deduplicated duplicate requests answered from the cache without running the handler (worker)
 * @param expired requests not run because their deadline had passed (worker)
 * @param deadLettered messages sent to a dead-letter queue (worker)
 */
public record QueueStats(
    long sent,
    long replied,
    long timedOut,
    long lateReplies,
    long executed,
    long deduplicated,
    long expired,
    long deadLettered) {}
