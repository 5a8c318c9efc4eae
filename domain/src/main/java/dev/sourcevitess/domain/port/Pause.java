package dev.sourcevitess.domain.port;

import java.time.Duration;

/** Waits before a retry; tests pass one that does not. */
@FunctionalInterface
public interface Pause {
  void sleep(Duration duration) throws InterruptedException;
}
