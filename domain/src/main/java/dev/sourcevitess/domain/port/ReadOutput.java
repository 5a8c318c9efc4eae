package dev.sourcevitess.domain.port;

import dev.sourcevitess.domain.model.ChangeMeta;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamStatus;

/**
 * Where a read's messages go. Calls come from one thread at a time (the read serializes them),
 * so each checkpoint covers exactly the records written before it.
 */
public interface ReadOutput {
  /** One record: {@code layout}'s columns of {@code row}, and the change columns when {@code meta} is set. */
  void record(StreamId stream, RecordLayout layout, RawRow row, ChangeMeta meta);

  /** A STATE; everything written before it is flushed. */
  void checkpoint(Checkpoint checkpoint);

  void status(StreamId stream, StreamStatus status);

  void estimate(StreamId stream, long rows, long bytes);

  void log(LogLevel level, String message);

  /** A TRACE ERROR; the read ends after it with a non-zero exit. */
  void error(FailureType type, String message, String detail);
}
