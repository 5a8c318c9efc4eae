package dev.sourcevitess.vstream.fake;

import binlogdata.Binlogdata;
import java.util.List;

/** One transaction in a fake shard's binlog; immutable once committed. */
record BinlogEntry(
    Kind kind, long commitSeconds, List<Statement> statements, String ddl,
    Binlogdata.Journal journal) {

  enum Kind { SETUP, TRANSACTION, DDL, JOURNAL }

  /** Rows one statement changed in one table, in the columns {@code def} had then. */
  record Statement(TableDef def, List<Change> changes) {
    String table() {
      return def.name();
    }


    Statement {
      changes = List.copyOf(changes);
    }
  }

  /** A row image pair: insert = after only, update = both, delete = before only. */
  record Change(List<String> before, List<String> after) {}

  static BinlogEntry setup() {
    return new BinlogEntry(Kind.SETUP, 0, List.of(), null, null);
  }
}
