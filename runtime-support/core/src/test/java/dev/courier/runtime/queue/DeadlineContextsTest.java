package dev.courier.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The deadline contexts a worker's requests share, on a manual wheel and ticker: requests in a row
 * with one deadline share one context (so one timer), each request's own context is still cancelled
 * at the deadline, and a context is let go once its thread moves on.
 */
class DeadlineContextsTest {
  private static final long NOW_MILLIS = 1_000_000;

  private final AtomicLong now = new AtomicLong();
  private final TimeoutWheel wheel = TimeoutWheel.manual(now::get, 10, TimeUnit.MILLISECONDS, 64);
  private final WheelScheduler scheduler = new WheelScheduler(wheel);
  private final DeadlineContexts contexts = new DeadlineContexts(scheduler, new Deadline.Ticker() {
    @Override
    public long nanoTime() {
      return now.get();
    }
  });

  @Test
  void requestsInARowWithOneDeadlineShareOneContext() {
    DeadlineContexts.Shared first = contexts.context(Context.ROOT, NOW_MILLIS + 500, NOW_MILLIS);
    DeadlineContexts.Shared second = contexts.context(Context.ROOT, NOW_MILLIS + 500, NOW_MILLIS + 3);

    assertThat(second).isSameAs(first);
    assertThat(first.deadline().timeRemaining(TimeUnit.MILLISECONDS)).isEqualTo(500);
    assertThat(first.context().getDeadline()).isSameAs(first.deadline());
  }

  @Test
  void requestsContextIsCancelledAtTheDeadline() {
    Context.CancellableContext request = contexts.context(Context.ROOT, NOW_MILLIS + 50, NOW_MILLIS)
        .context().withCancellation();

    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(40));
    wheel.runDueTicks();
    assertThat(request.isCancelled()).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(20));
    wheel.runDueTicks();

    assertThat(request.isCancelled()).isTrue();
    assertThat(request.cancellationCause()).isInstanceOf(TimeoutException.class);
  }

  @Test
  void requestEndingLeavesTheSharedContextToTheNext() {
    DeadlineContexts.Shared shared = contexts.context(Context.ROOT, NOW_MILLIS + 50, NOW_MILLIS);
    shared.context().withCancellation().cancel(null);

    Context.CancellableContext next = contexts.context(Context.ROOT, NOW_MILLIS + 50, NOW_MILLIS)
        .context().withCancellation();

    assertThat(shared.context().isCancelled()).isFalse();
    assertThat(next.isCancelled()).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(60));
    wheel.runDueTicks();
    assertThat(next.isCancelled()).isTrue();
  }

  @Test
  void anotherDeadlineGetsItsOwnContextAndLetsTheLastOneGo() {
    DeadlineContexts.Shared first = contexts.context(Context.ROOT, NOW_MILLIS + 50, NOW_MILLIS);
    DeadlineContexts.Shared second = contexts.context(Context.ROOT, NOW_MILLIS + 51, NOW_MILLIS);

    assertThat(second).isNotSameAs(first);
    assertThat(first.context().isCancelled()).as("its timer need not wait for the deadline").isTrue();
    assertThat(second.context().isCancelled()).isFalse();
    assertThat(second.deadline().timeRemaining(TimeUnit.MILLISECONDS)).isEqualTo(51);
  }

  @Test
  void anotherParentGetsItsOwnContext() {
    Context.CancellableContext parent = Context.ROOT.withCancellation();
    DeadlineContexts.Shared underRoot = contexts.context(Context.ROOT, NOW_MILLIS + 50, NOW_MILLIS);
    DeadlineContexts.Shared underParent = contexts.context(parent, NOW_MILLIS + 50, NOW_MILLIS);

    assertThat(underParent).isNotSameAs(underRoot);
    parent.cancel(null);
    assertThat(underParent.context().isCancelled()).isTrue();
  }

  @Test
  void eachThreadHasItsOwn() throws Exception {
    DeadlineContexts.Shared here = contexts.context(Context.ROOT, NOW_MILLIS + 50, NOW_MILLIS);
    DeadlineContexts.Shared[] there = new DeadlineContexts.Shared[1];
    Thread other = new Thread(() -> there[0] = contexts.context(Context.ROOT, NOW_MILLIS + 50, NOW_MILLIS));
    other.start();
    other.join();

    assertThat(there[0]).isNotSameAs(here);
    assertThat(here.context().isCancelled()).isFalse();
  }
}
