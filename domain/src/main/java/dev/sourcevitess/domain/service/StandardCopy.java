package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.Pause;
import dev.sourcevitess.domain.port.RowSnapshots;
import java.util.Map;

/**
 * A STANDARD (plain SQL) full refresh of one table, resumable: every 10,000 records a STATE holds
 * the last key, and a read given that state, or a retry after a lost connection, goes on after it.
 */
final class StandardCopy {
  private final RowSnapshots snapshots;
  private final ReadSession session;
  private final Pause pause;
  private final int maxRetries;

  StandardCopy(RowSnapshots snapshots, ReadSession session, Pause pause, int maxRetries) {
    this.snapshots = snapshots;
    this.session = session;
    this.pause = pause;
    this.maxRetries = maxRetries;
  }

  void copy(ConfiguredStream stream, Table whole, TableCursor from) throws InterruptedException {
    // deselected columns are not read at all: they never leave the database
    Table table = whole.narrowedTo(stream.selectedColumns());
    RecordLayout layout = RecordLayout.select(table.columns(), stream.selectedColumns(), false, false);
    // a table without an exact key cannot be resumed part way: its states only count records
    boolean resumable = table.pagesByKey();
    if (!resumable && from.lastKnownPk() != null) {
      session.log(LogLevel.WARN, "The state of " + stream.id() + " holds a key to resume after, but its key "
          + table.primaryKey() + " is not exact enough to resume on; copying it again from the start.");
    }
    TableCursor[] last = {resumable ? from : from.at("", null)};
    int failures = 0;
    while (true) {
      LastKey after = last[0].lastKnownPk();
      long[] sinceCheckpoint = {0};
      try {
        snapshots.scan(table, after, row -> {
          session.record(stream.id(), layout, row);
          if (++sinceCheckpoint[0] >= ReadSession.CHECKPOINT_RECORDS) {
            sinceCheckpoint[0] = 0;
            if (resumable) {
              last[0] = last[0].at("", LastKey.of(table, row));
            }
            session.checkpoint(stream.id(), Map.of(Shard.UNSHARDED, last[0]));
          }
        });
        // done: the next full refresh starts from the beginning
        session.checkpoint(stream.id(), Map.of(Shard.UNSHARDED, last[0].at("", null)));
        return;
      } catch (SourceException e) {
        if (e.failureType() != FailureType.TRANSIENT_ERROR || ++failures > maxRetries || !resumable) {
          throw e;
        }
        session.log(LogLevel.WARN, "Reading " + stream.id() + " failed (" + e.getMessage() + "); retry " + failures
            + " of " + maxRetries + " from the last saved key.");
        pause.sleep(Retries.backoff(failures));
      }
    }
  }
}
