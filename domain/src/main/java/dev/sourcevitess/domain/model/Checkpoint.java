package dev.sourcevitess.domain.model;

import java.util.Objects;

/**
 * A STATE for one stream.
 *
 * @param recordCount the stream's records since its previous checkpoint
 */
public record Checkpoint(StreamId stream, StreamState state, long recordCount) {
  public Checkpoint {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(state, "state");
    if (recordCount < 0) {
      throw new IllegalArgumentException("recordCount must not be negative");
    }
  }
}
