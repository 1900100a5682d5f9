package dev.courier.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** gRPC's deadline timer on a (manual) timing wheel: it cancels the context once due, and not if cancelled first. */
class WheelSchedulerTest {
  private final AtomicLong now = new AtomicLong();
  private final TimeoutWheel wheel = TimeoutWheel.manual(now::get, 10, TimeUnit.MILLISECONDS, 64);
  private final WheelScheduler scheduler = new WheelScheduler(wheel);

  @Test
  void contextIsCancelledWhenItsDeadlineComesDue() {
    Deadline deadline = Deadline.after(50, TimeUnit.MILLISECONDS, ticker());
    Context.CancellableContext context = Context.ROOT.withDeadline(deadline, scheduler);

    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(40));
    wheel.runDueTicks();
    assertThat(context.isCancelled()).isFalse();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(20));
    wheel.runDueTicks();

    assertThat(context.isCancelled()).isTrue();
  }

  @Test
  void cancelledTimerDoesNotRun() {
    AtomicLong runs = new AtomicLong();
    java.util.concurrent.ScheduledFuture<?> timer = scheduler.schedule((Runnable) runs::incrementAndGet, 50,
        TimeUnit.MILLISECONDS);

    assertThat(timer.cancel(false)).isTrue();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
    wheel.runDueTicks();

    assertThat(timer.isCancelled()).isTrue();
    assertThat(runs).hasValue(0);
  }

  @Test
  void delayLeftFollowsTheWheelsClock() {
    java.util.concurrent.ScheduledFuture<?> timer = scheduler.schedule(() -> { }, 50, TimeUnit.MILLISECONDS);
    assertThat(timer.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(50);

    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(30));
    assertThat(timer.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(20);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(30));
    assertThat(timer.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(-10);
  }

  private Deadline.Ticker ticker() {
    return new Deadline.Ticker() {
      @Override
      public long nanoTime() {
        return now.get();
      }
    };
  }
}
