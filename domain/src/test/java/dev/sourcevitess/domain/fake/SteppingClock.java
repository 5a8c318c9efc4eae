package dev.sourcevitess.domain.fake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves on by a fixed step each time it is read, so time-based rules can be tested. */
public final class SteppingClock extends Clock {
  private final AtomicLong nanos;
  private final long stepNanos;

  public SteppingClock(Instant start, Duration step) {
    this.nanos = new AtomicLong(start.getEpochSecond() * 1_000_000_000L + start.getNano());
    this.stepNanos = step.toNanos();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Instant instant() {
    long n = nanos.getAndAdd(stepNanos);
    return Instant.ofEpochSecond(0, n);
  }
}
