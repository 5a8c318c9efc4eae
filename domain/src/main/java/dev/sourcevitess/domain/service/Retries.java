package dev.sourcevitess.domain.service;

import java.time.Duration;

/** How long to wait before retry {@code attempt} (1, 2, ...): doubling from one second, capped. */
final class Retries {
  private Retries() {}

  static Duration backoff(int attempt) {
    long seconds = Math.min(30, 1L << Math.min(attempt - 1, 5));
    return Duration.ofSeconds(seconds);
  }
}
