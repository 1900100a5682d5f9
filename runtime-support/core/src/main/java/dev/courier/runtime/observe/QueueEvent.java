package dev.courier.runtime.observe;

/** What happened to a queue-backed call. */
public enum QueueEvent {
  /** A client published a call. */
  SENT,
  /** A client received the reply of a waiting call. */
  REPLIED,
  /** A client gave up waiting for a reply. */
  TIMED_OUT,
  /** A reply came after its caller had given up; it was dropped. */
  LATE_REPLY,
  /** A worker ran a call. */
  EXECUTED,
  /** A worker answered a duplicate delivery without running it again. */
  DEDUPLICATED,
  /** A worker skipped a call whose deadline had passed. */
  EXPIRED,
  /** A worker sent a call to the dead-letter topic. */
  DEAD_LETTERED
}
