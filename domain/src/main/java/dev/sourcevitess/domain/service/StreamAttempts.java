package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.Pause;

/**
 * Runs VStream attempts until a reader is done: a failed attempt is retried from the reader's last
 * checkpoint, up to {@code max_retries} times in a row; a deadline that cut an attempt making
 * progress ends that attempt without counting as a failure.
 */
final class StreamAttempts {
  /** One reader's side of it. */
  interface Reader {
    /** True when there is nothing (more) to read. */
    boolean done();

    /** Streams until done, or throws. */
    void attempt();

    /** After a failed attempt: checkpoints what it read; true when that moved the state on. */
    boolean saveProgress();

    /** What the failure means to the user. */
    SourceException describe(ChangeStreamException e);

    /** What is read, for the retry log: "the VStream of ...". */
    String what();

    /**
     * After a failed attempt: whether the reader changed what it asks for so that the failure
     * cannot recur (a column gone from a filter rule); the next attempt then follows at once.
     */
    boolean adapt(ChangeStreamException e);
  }

  private final SourceConfig config;
  private final ReadSession session;
  private final Pause pause;

  StreamAttempts(SourceConfig config, ReadSession session, Pause pause) {
    this.config = config;
    this.session = session;
    this.pause = pause;
  }

  /** Reads until done; throws the last failure once retries run out. */
  void run(Reader reader) throws InterruptedException {
    int failures = 0;
    while (!reader.done()) {
      try {
        reader.attempt();
        if (!reader.done()) {
          throw new ChangeStreamException(ChangeStreamException.Reason.UNAVAILABLE,
              "VTGate ended " + reader.what() + " before it was done");
        }
      } catch (ChangeStreamException e) {
        boolean advanced = reader.saveProgress();
        if (reader.adapt(e)) {
          continue;
        }
        if (!StreamFailures.retryable(e)) {
          throw reader.describe(e);
        }
        if (e.reason() == ChangeStreamException.Reason.DEADLINE_EXCEEDED && advanced) {
          failures = 0;
          continue;
        }
        if (++failures > config.maxRetries()) {
          throw reader.describe(e);
        }
        session.log(LogLevel.WARN, reader.what() + " failed (" + e.getMessage() + "); retry " + failures + " of "
            + config.maxRetries() + " from the last checkpoint.");
        pause.sleep(Retries.backoff(failures));
      }
    }
  }
}
