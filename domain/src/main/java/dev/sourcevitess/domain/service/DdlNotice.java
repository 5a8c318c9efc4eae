package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.ChangeEvent;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.StreamId;
import java.util.Collection;

/**
 * What the log says of a DDL in a stream: a TRUNCATE of a stream's table warns, anything else
 * informs. The statement is shown redacted: the binlog holds CREATE USER and ALTER USER as typed.
 */
final class DdlNotice {
  private DdlNotice() {}

  static void log(ReadSession session, String keyspace, Collection<StreamId> streams, ChangeEvent.Ddl event) {
    for (StreamId stream : streams) {
      if (event.truncates(stream.name())) {
        session.log(LogLevel.WARN, "Table " + stream + " was truncated (" + event.statement().redacted() + "). VStream"
            + " sends a TRUNCATE as a statement only, without row deletes, so the destination keeps the rows it"
            + " had; run a full refresh of this stream (or reset it) to drop them.");
        return;
      }
    }
    session.log(LogLevel.INFO, "DDL on " + keyspace + ": " + event.statement().redacted());
  }
}
